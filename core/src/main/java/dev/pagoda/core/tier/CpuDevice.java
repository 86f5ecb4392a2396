package dev.pagoda.core.tier;

import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.gguf.TensorInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CPU as a streaming device: "device memory" is native memory counted against a budget,
 * "pinned host memory" is native memory too, and the copy queue is one thread doing memcpy. The
 * CPU backend computes on the calling thread, so a layer's compute has finished by the time the
 * streamer releases it: {@link #computeFence()} is always reached. This is what lets CI run the
 * streaming schedule, with the same kernels, on a machine without a GPU.
 */
public final class CpuDevice implements Device {
    private final long budget;
    private final AtomicLong used = new AtomicLong();
    private final Arena arena = Arena.ofShared();
    private final ExecutorService copyQueue = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pagoda-cpu-copy");
        t.setDaemon(true);
        return t;
    });

    /** A device whose memory may hold at most {@code budgetBytes}. */
    public CpuDevice(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("negative device budget " + budgetBytes);
        }
        this.budget = budgetBytes;
    }

    private record Memory(MemorySegment segment, String purpose) implements DeviceMemory {
        @Override
        public long byteSize() {
            return segment.byteSize();
        }
    }

    private record TaskFence(CompletableFuture<Void> task) implements Fence {
        @Override
        public void awaitOnCompute() {
            try {
                task.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        @Override
        public CompletableFuture<Void> reached() {
            return task;
        }
    }

    @Override
    public String name() {
        return "cpu (device budget " + ByteSize.human(budget) + ")";
    }

    @Override
    public long budgetBytes() {
        return budget;
    }

    @Override
    public long usedBytes() {
        return used.get();
    }

    @Override
    public DeviceMemory allocate(long bytes, String purpose) {
        reserve(bytes, purpose);
        return new Memory(arena.allocate(Math.max(bytes, 1), LayerLayout.DEVICE_ALIGNMENT).asSlice(0, bytes), purpose);
    }

    @Override
    public void reserve(long bytes, String purpose) {
        long after = used.addAndGet(bytes);
        if (after > budget) {
            used.addAndGet(-bytes);
            throw new InsufficientBudgetException("device budget " + ByteSize.human(budget) + " cannot hold "
                    + purpose + " (" + ByteSize.human(bytes) + ") beside the " + ByteSize.human(after - bytes)
                    + " already in use", after, budget);
        }
    }

    @Override
    public MemorySegment allocatePinnedHost(long bytes, long alignment, String purpose) {
        return arena.allocate(Math.max(bytes, 1), alignment).asSlice(0, bytes);
    }

    @Override
    public Fence copyToDevice(MemorySegment src, DeviceMemory dst, long dstOffset, Fence after) {
        MemorySegment target = ((Memory) dst).segment();
        if (dstOffset < 0 || src.byteSize() > target.byteSize() - dstOffset) {
            throw new IllegalArgumentException("copy of " + src.byteSize() + " bytes at offset " + dstOffset
                    + " does not fit " + dst.purpose() + " (" + target.byteSize() + " bytes)");
        }
        CompletableFuture<Void> before = after.reached();
        return new TaskFence(CompletableFuture.runAsync(() -> {
            before.join();
            MemorySegment.copy(src, 0, target, dstOffset, src.byteSize());
        }, copyQueue));
    }

    @Override
    public Fence computeFence() {
        return Fence.done();
    }

    @Override
    public WeightTensor view(DeviceMemory memory, long offset, TensorInfo tensor) {
        MemorySegment data = ((Memory) memory).segment().asSlice(offset, tensor.byteSize()).asReadOnly();
        return new WeightTensor(tensor.name(), tensor.type(), Math.toIntExact(tensor.rowCount()),
                Math.toIntExact(tensor.rowLength()), data);
    }

    @Override
    public void close() {
        copyQueue.shutdownNow();
        try {
            // a copy in progress must finish before its memory is freed under it
            copyQueue.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        arena.close();
    }
}
