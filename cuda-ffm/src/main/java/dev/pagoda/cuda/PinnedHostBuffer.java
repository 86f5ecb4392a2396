package dev.pagoda.cuda;

import dev.pagoda.cuda.raw.cuda_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.pagoda.cuda.Check.check;

/**
 * Page-locked host memory from {@code cuMemHostAlloc}. {@link #segment()} is valid until
 * {@link #close()}; after it, any access to the segment throws instead of touching freed memory.
 */
public final class PinnedHostBuffer implements AutoCloseable {
    private final Cuda cuda;
    private final MemorySegment raw;
    private final Arena scope = Arena.ofShared();
    private final MemorySegment segment;
    private boolean closed;

    private PinnedHostBuffer(Cuda cuda, MemorySegment raw, long byteSize) {
        this.cuda = cuda;
        this.raw = raw;
        this.segment = raw.reinterpret(byteSize, scope, null);
    }

    static PinnedHostBuffer allocate(Cuda cuda, long byteSize) {
        if (byteSize <= 0) {
            throw new IllegalArgumentException("pinned allocation size must be positive, got " + byteSize);
        }
        cuda.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            check(cuda_h.cuMemHostAlloc(out, byteSize, cuda_h.CU_MEMHOSTALLOC_PORTABLE()),
                    "cuMemHostAlloc(" + byteSize + " bytes)");
            return new PinnedHostBuffer(cuda, out.get(ValueLayout.ADDRESS, 0), byteSize);
        }
    }

    /** The pinned memory, as a segment bounded to its size and closed with this buffer. */
    public MemorySegment segment() {
        return segment;
    }

    public long byteSize() {
        return segment.byteSize();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            long size = segment.byteSize();
            scope.close();
            cuda.makeCurrent();
            check(cuda_h.cuMemFreeHost(raw), "cuMemFreeHost(" + size + " bytes)");
        }
    }
}
