package dev.pagoda.core.tier;

import java.util.concurrent.CompletableFuture;

/**
 * A point in a device's work queue (a CUDA event on a stream; on the CPU device, the completion of
 * a task on its copy thread). Fences order the copy queue against compute without the host waiting.
 */
public interface Fence {

    /**
     * Makes the compute that follows wait for this fence. On a device with its own queues this
     * need not block the host (cuStreamWaitEvent); on the CPU device, where compute runs on the
     * calling thread, it blocks until the fence is reached.
     */
    void awaitOnCompute();

    /** Completes when the fence is reached (a host-side view, for chaining host work). */
    CompletableFuture<Void> reached();

    /** A fence that is already reached. */
    static Fence done() {
        return DONE;
    }

    Fence DONE = new Fence() {
        @Override
        public void awaitOnCompute() {
        }

        @Override
        public CompletableFuture<Void> reached() {
            return CompletableFuture.completedFuture(null);
        }
    };
}
