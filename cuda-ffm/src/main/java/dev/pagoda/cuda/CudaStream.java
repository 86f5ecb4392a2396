package dev.pagoda.cuda;

import dev.pagoda.cuda.raw.cuda_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.pagoda.cuda.Check.check;

/**
 * A CUDA stream ({@code CU_STREAM_NON_BLOCKING}): work queued on it runs in order. Can record its work
 * into a {@link CudaGraph} between {@link #beginCapture()} and {@link #endCapture()}.
 */
public final class CudaStream implements AutoCloseable {
    private final Cuda cuda;
    private final MemorySegment handle;
    private boolean closed;
    private boolean programmaticLaunches;

    private CudaStream(Cuda cuda, MemorySegment handle) {
        this.cuda = cuda;
        this.handle = handle;
    }

    static CudaStream create(Cuda cuda) {
        cuda.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            check(cuda_h.cuStreamCreate(out, cuda_h.CU_STREAM_NON_BLOCKING()), "cuStreamCreate");
            return new CudaStream(cuda, out.get(ValueLayout.ADDRESS, 0));
        }
    }

    public Cuda cuda() {
        return cuda;
    }

    /** The raw {@code CUstream}; valid until {@link #close()}. */
    public MemorySegment unsafeHandle() {
        if (closed) {
            throw new IllegalStateException("stream is closed");
        }
        return handle;
    }

    /**
     * Lets kernels that wait for their predecessor ({@link CudaModule#waitsForPredecessor()}) be launched on
     * this stream with programmatic stream serialization: each may start while the kernel before it still
     * runs, its launch and its weight loads overlapping that kernel's tail (in a captured graph the
     * dependency becomes a programmatic edge). Other kernels are launched as before. Only for work whose
     * inputs come from earlier kernels on this stream: a kernel's early start is not ordered after copies
     * or event waits queued between it and its predecessor.
     */
    public void allowProgrammaticLaunches(boolean allow) {
        programmaticLaunches = allow;
    }

    /** Whether {@link #allowProgrammaticLaunches} is on. */
    public boolean programmaticLaunches() {
        return programmaticLaunches;
    }

    /** Waits until all work queued on this stream has finished. */
    public void synchronize() {
        cuda.makeCurrent();
        check(cuda_h.cuStreamSynchronize(unsafeHandle()), "cuStreamSynchronize");
    }

    /**
     * Starts recording this stream's work into a graph instead of running it
     * ({@code CU_STREAM_CAPTURE_MODE_THREAD_LOCAL}: other threads may keep using CUDA meanwhile).
     */
    public void beginCapture() {
        cuda.makeCurrent();
        check(cuda_h.cuStreamBeginCapture_v2(unsafeHandle(), cuda_h.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL()),
                "cuStreamBeginCapture_v2");
    }

    /** Ends the capture begun by {@link #beginCapture()} and instantiates the recorded graph. */
    public CudaGraph endCapture() {
        cuda.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment graph = arena.allocate(ValueLayout.ADDRESS);
            check(cuda_h.cuStreamEndCapture(unsafeHandle(), graph), "cuStreamEndCapture");
            return CudaGraph.instantiate(cuda, graph.get(ValueLayout.ADDRESS, 0));
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cuda.makeCurrent();
            check(cuda_h.cuStreamDestroy_v2(handle), "cuStreamDestroy_v2");
        }
    }
}
