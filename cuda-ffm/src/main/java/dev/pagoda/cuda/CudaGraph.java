package dev.pagoda.cuda;

import dev.pagoda.cuda.raw.cuda_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.pagoda.cuda.Check.check;

/**
 * A captured and instantiated CUDA graph: replays the recorded launches and copies with one call,
 * without the per-launch overhead. Kernel arguments were captured by value: replay uses the same
 * buffers and scalars.
 */
public final class CudaGraph implements AutoCloseable {
    private final Cuda cuda;
    private final MemorySegment graph;
    private final MemorySegment exec;
    private boolean closed;

    private CudaGraph(Cuda cuda, MemorySegment graph, MemorySegment exec) {
        this.cuda = cuda;
        this.graph = graph;
        this.exec = exec;
    }

    static CudaGraph instantiate(Cuda cuda, MemorySegment graph) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment exec = arena.allocate(ValueLayout.ADDRESS);
            int rc = cuda_h.cuGraphInstantiateWithFlags(exec, graph, 0L);
            if (rc != cuda_h.CUDA_SUCCESS()) {
                cuda_h.cuGraphDestroy(graph);
                throw Check.failure(rc, "cuGraphInstantiateWithFlags", "");
            }
            return new CudaGraph(cuda, graph, exec.get(ValueLayout.ADDRESS, 0));
        }
    }

    /** Queues one replay of the graph on {@code stream}. */
    public void launch(CudaStream stream) {
        if (closed) {
            throw new IllegalStateException("graph is closed");
        }
        cuda.makeCurrent();
        check(cuda_h.cuGraphLaunch(exec, stream.unsafeHandle()), "cuGraphLaunch");
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cuda.makeCurrent();
            check(cuda_h.cuGraphExecDestroy(exec), "cuGraphExecDestroy");
            check(cuda_h.cuGraphDestroy(graph), "cuGraphDestroy");
        }
    }
}
