package dev.pagoda.core.tier;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A file read through a read-only mapping: reads are memory copies out of the page cache. The
 * stand-in for storage where O_DIRECT is beside the point (tests, files already cached). Thread-safe.
 */
public final class MappedFileSource implements WeightSource {
    private final Path path;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment mapped;
    private final ParallelReads reads;

    public MappedFileSource(Path path, int threads) throws IOException {
        this.path = path;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            this.mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
        this.reads = new ParallelReads(threads, "mapped");
    }

    @Override
    public String describe() {
        return path + " (mapped)";
    }

    @Override
    public long size() {
        return mapped.byteSize();
    }

    @Override
    public int alignment() {
        return 1;
    }

    @Override
    public void read(long fileOffset, MemorySegment dst, long length) throws IOException {
        if (fileOffset < 0 || length < 0 || fileOffset > size() - length) {
            throw new IOException(path + ": read of " + length + " bytes at offset " + fileOffset
                    + " lies outside the file's " + size() + " bytes");
        }
        MemorySegment.copy(mapped, fileOffset, dst, 0, length);
    }

    @Override
    public CompletableFuture<Void> submit(List<ReadRequest> requests) {
        return reads.submit(requests, this::read);
    }

    @Override
    public void close() {
        reads.close();
        arena.close();
    }
}
