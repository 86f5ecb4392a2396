package dev.pagoda.core.tier;

import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.gguf.TensorInfo;
import java.lang.foreign.MemorySegment;

/**
 * The memory and copy queue of a compute device, as much of it as layer streaming needs: device
 * allocations within a budget, pinned host memory, host → device copies on a copy queue that runs
 * beside compute, and fences that order the two. The CPU implementation ({@link CpuDevice}) runs
 * the very same schedule as a GPU would, so the pipeline is proven on any machine.
 *
 * <p>Thread-safe: copies may be queued from any thread (the streamer queues a tier C layer's
 * copies from the thread that finished reading it).
 */
public interface Device extends AutoCloseable {

    /** For logs: "cpu (budget 24 GiB)". */
    String name();

    /** Device memory this run may use. */
    long budgetBytes();

    /** Device memory allocated or reserved so far. */
    long usedBytes();

    /**
     * Device memory for {@code purpose}.
     *
     * @throws InsufficientBudgetException when it would go over the budget
     */
    DeviceMemory allocate(long bytes, String purpose);

    /**
     * Counts {@code bytes} against the budget for memory the backend holds elsewhere (on the CPU:
     * the KV cache and activations, which live in the Java heap).
     *
     * @throws InsufficientBudgetException when it would go over the budget
     */
    void reserve(long bytes, String purpose);

    /** Page-locked host memory, aligned to {@code alignment} bytes, freed when the device closes. */
    MemorySegment allocatePinnedHost(long bytes, long alignment, String purpose);

    /**
     * Queues a copy of {@code src} into {@code dst} at {@code dstOffset}, to start once
     * {@code after} is reached (the slot's previous user has finished computing). Copies run in
     * the order queued.
     *
     * @return the fence reached when this copy (and every one queued before it) is done
     */
    Fence copyToDevice(MemorySegment src, DeviceMemory dst, long dstOffset, Fence after);

    /** A fence reached when all compute issued so far has finished. */
    Fence computeFence();

    /** {@code tensor}'s data as it lies in {@code memory} at {@code offset}, for the backend's kernels. */
    WeightTensor view(DeviceMemory memory, long offset, TensorInfo tensor);

    /** Stops the copy queue and frees every allocation. */
    @Override
    void close();
}
