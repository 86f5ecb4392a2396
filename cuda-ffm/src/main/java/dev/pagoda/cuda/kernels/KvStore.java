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
 * f16 into cache rows startPos..startPos + tokens - 1 of a [ctx][rowLen] f16 cache.
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

    public void launch(DeviceBuffer src, DeviceBuffer cache, int tokens, int rowLen, int startPos, CudaStream stream) {
        requirePositive(tokens, "tokens", "kv_store");
        requirePositive(rowLen, "rowLen", "kv_store");
        if (startPos < 0) {
            throw new IllegalArgumentException("kv_store: startPos must be >= 0, got " + startPos);
        }
        long n = (long) tokens * rowLen;
        requireBytes(src, n * Float.BYTES, "src", "kv_store");
        requireBytes(cache, ((long) startPos + tokens) * rowLen * 2, "cache rows up to " + (startPos + tokens), "kv_store");
        kernel.launch(grid.grid(n), Dim3.of(ElementwiseGrid.THREADS), 0, stream,
                KernelArgs.of().pointer(src).pointer(cache).i32(rowLen).i32(startPos).i64(n));
    }

    @Override
    public void close() {
        module.close();
    }
}
