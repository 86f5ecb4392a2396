package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaKernel;
import dev.pagoda.cuda.CudaModule;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.Dim3;
import dev.pagoda.cuda.KernelArgs;

import static dev.pagoda.cuda.kernels.LaunchChecks.requireBytes;
import static dev.pagoda.cuda.kernels.LaunchChecks.requirePositive;

/**
 * KV-cache store ({@code kv_store.cu}): rounds [tokens][rowLen] float32 (rowLen = kvHeads * headDim) to
 * f16 into cache rows startPos..startPos + tokens - 1 of a [capacity][rowLen] f16 cache. The start
 * position is read from device memory when the kernel runs, so a captured launch serves every
 * position; rows at or past {@code capacity} are dropped rather than written out of bounds.
 */
public final class KvStore implements AutoCloseable {
    private final CudaModule module;
    private final CudaKernel kernel;
    private final ElementwiseGrid grid;

    public KvStore(Cuda cuda) {
        this.module = PtxModules.load(cuda, "kv_store");
        this.kernel = module.kernel("kv_store");
        this.grid = new ElementwiseGrid(cuda.multiprocessorCount());
    }

    /**
     * @param startPos device int32 at offset 0: the cache row of the first token
     * @param capacity rows of the cache; the launch checks that {@code cache} holds that many
     */
    public void launch(DeviceBuffer src, DeviceBuffer cache, int tokens, int rowLen, DeviceBuffer startPos, int capacity,
                       CudaStream stream) {
        requirePositive(tokens, "tokens", "kv_store");
        requirePositive(rowLen, "rowLen", "kv_store");
        requirePositive(capacity, "capacity", "kv_store");
        long n = (long) tokens * rowLen;
        requireBytes(src, n * Float.BYTES, "src", "kv_store");
        requireBytes(startPos, Integer.BYTES, "startPos", "kv_store");
        requireBytes(cache, (long) capacity * rowLen * 2, "cache of " + capacity + " rows", "kv_store");
        kernel.launch(grid.grid(n), Dim3.of(ElementwiseGrid.THREADS), 0, stream,
                KernelArgs.of().pointer(src).pointer(cache).i32(rowLen).pointer(startPos).i32(capacity).i64(n));
    }

    @Override
    public void close() {
        module.close();
    }
}
