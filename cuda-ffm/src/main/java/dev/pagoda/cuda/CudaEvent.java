package dev.pagoda.cuda;

import dev.pagoda.cuda.raw.cuda_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.pagoda.cuda.Check.check;

/** A CUDA event: marks a point in a stream, to wait on or to time the work between two of them. */
public final class CudaEvent implements AutoCloseable {
    private final Cuda cuda;
    private final MemorySegment handle;
    private boolean closed;

    private CudaEvent(Cuda cuda, MemorySegment handle) {
        this.cuda = cuda;
        this.handle = handle;
    }

    static CudaEvent create(Cuda cuda) {
        cuda.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            check(cuda_h.cuEventCreate(out, cuda_h.CU_EVENT_DEFAULT()), "cuEventCreate");
            return new CudaEvent(cuda, out.get(ValueLayout.ADDRESS, 0));
        }
    }

    /** Records this event at the current end of {@code stream}. */
    public void record(CudaStream stream) {
        cuda.makeCurrent();
        check(cuda_h.cuEventRecord(live(), stream.unsafeHandle()), "cuEventRecord");
    }

    /** Waits until the work before the recorded point has finished. */
    public void synchronize() {
        cuda.makeCurrent();
        check(cuda_h.cuEventSynchronize(live()), "cuEventSynchronize");
    }

    /** Milliseconds of device time from {@code start} to this event (both recorded and completed). */
    public float elapsedMillisSince(CudaEvent start) {
        cuda.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT);
            check(cuda_h.cuEventElapsedTime_v2(out, start.live(), live()), "cuEventElapsedTime_v2");
            return out.get(ValueLayout.JAVA_FLOAT, 0);
        }
    }

    private MemorySegment live() {
        if (closed) {
            throw new IllegalStateException("event is closed");
        }
        return handle;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cuda.makeCurrent();
            check(cuda_h.cuEventDestroy_v2(handle), "cuEventDestroy_v2");
        }
    }
}
