package dev.pagoda.gguf;

import dev.pagoda.gguf.MetadataValue.ArrayValue;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** Opens a file and touches everything the reader exposes; only IOExceptions may come out. */
final class ReaderExercise {
    private ReaderExercise() {
    }

    /** Returns true when the file opened. */
    static boolean openAndReadEverything(Path file) {
        try (GgufFile f = GgufFile.open(file)) {
            for (String key : f.metadata().keys()) {
                touch(f.metadata().get(key));
            }
            for (TensorInfo t : f.tensors()) {
                var data = f.data(t);
                if (data.byteSize() > 0) {
                    data.get(ValueLayout.JAVA_BYTE, 0);
                    data.get(ValueLayout.JAVA_BYTE, data.byteSize() - 1);
                }
                t.rowCount();
                f.fileOffset(t);
            }
            return true;
        } catch (IOException expected) {
            return false;
        }
    }

    /** Parses the header from heap memory (no file, no mapping); returns true when it parsed. */
    static boolean parseInMemory(byte[] bytes) {
        try {
            HeaderReader.Header h = HeaderReader.read(MemorySegment.ofArray(bytes), Path.of("in-memory.gguf"), 0);
            h.metadata().values().forEach(ReaderExercise::touch);
            for (TensorInfo t : h.tensors()) {
                MemorySegment.ofArray(bytes).asSlice(h.dataStart() + t.offset(), t.byteSize());
            }
            return true;
        } catch (GgufFormatException expected) {
            return false;
        }
    }

    private static void touch(MetadataValue v) {
        v.toString();
        if (v instanceof ArrayValue a) {
            for (int i = 0; i < a.size(); i++) {
                touch(a.get(i));
            }
        }
    }
}
