package dev.pagoda.core.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian scalar reads from weight bytes, as GGUF stores them. */
final class Bytes {
    static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Bytes() {}

    /** The IEEE half at {@code offset}, widened to float. */
    static float f16(MemorySegment w, long offset) {
        return Float.float16ToFloat(w.get(SHORT_LE, offset));
    }

    /** The unsigned byte at {@code offset}. */
    static int u8(MemorySegment w, long offset) {
        return w.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    /** The signed byte at {@code offset}. */
    static int i8(MemorySegment w, long offset) {
        return w.get(ValueLayout.JAVA_BYTE, offset);
    }
}
