package dev.pagoda.core.tier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs reads on a few threads, each request cut into chunks so that several are in flight: a
 * storage device reaches its bandwidth only with a queue of requests, not one at a time.
 */
final class ParallelReads implements AutoCloseable {
    /** Bytes per request handed to the kernel: large enough to be efficient, small enough to spread. */
    static final long CHUNK = 1L << 20;

    @FunctionalInterface
    interface ChunkReader {
        void read(long fileOffset, MemorySegment dst, long length) throws IOException;
    }

    private final ExecutorService pool;

    ParallelReads(int threads, String name) {
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pagoda-read-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Cuts each request into chunks of {@link #CHUNK} (a multiple of every block size) and reads them in parallel. */
    CompletableFuture<Void> submit(List<ReadRequest> requests, ChunkReader reader) {
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (ReadRequest r : requests) {
            for (long done = 0; done < r.length(); done += CHUNK) {
                long off = done;
                // the last chunk keeps the request's room beyond length, so a source may round it up
                long len = Math.min(CHUNK, r.length() - off);
                MemorySegment dst = r.dst().asSlice(off, off + CHUNK >= r.length() ? r.dst().byteSize() - off : len);
                parts.add(CompletableFuture.runAsync(() -> {
                    try {
                        reader.read(r.fileOffset() + off, dst, len);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, pool));
            }
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
