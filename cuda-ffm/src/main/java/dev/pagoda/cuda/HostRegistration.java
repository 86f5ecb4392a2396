package dev.pagoda.cuda;

import dev.pagoda.cuda.raw.cuda_h;

import java.lang.foreign.MemorySegment;

import static dev.pagoda.cuda.Check.check;

/**
 * An existing native segment page-locked with {@code cuMemHostRegister_v2}; {@link #close()}
 * unregisters it. Does not own the segment: keep its arena (or mapping) open until this is closed.
 */
public final class HostRegistration implements AutoCloseable {
    private final Cuda cuda;
    private final MemorySegment segment;
    private boolean closed;

    private HostRegistration(Cuda cuda, MemorySegment segment) {
        this.cuda = cuda;
        this.segment = segment;
    }

    static HostRegistration register(Cuda cuda, MemorySegment segment) {
        if (!segment.isNative() || segment.byteSize() == 0) {
            throw new IllegalArgumentException("only a non-empty native segment can be registered, got " + segment);
        }
        cuda.makeCurrent();
        check(cuda_h.cuMemHostRegister_v2(segment, segment.byteSize(), cuda_h.CU_MEMHOSTREGISTER_PORTABLE()),
                "cuMemHostRegister_v2(address 0x" + Long.toHexString(segment.address()) + ", " + segment.byteSize() + " bytes)");
        return new HostRegistration(cuda, segment);
    }

    /** The registered segment. */
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cuda.makeCurrent();
            check(cuda_h.cuMemHostUnregister(segment),
                    "cuMemHostUnregister(address 0x" + Long.toHexString(segment.address()) + ")");
        }
    }
}
