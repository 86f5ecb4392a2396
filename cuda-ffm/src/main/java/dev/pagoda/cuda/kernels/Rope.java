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
 * Rotary embedding in llama's NORM mode ({@code rope.cu}), in place on x [tokens][heads][headDim]:
 * adjacent pairs rotate by position * base^(-2i/headDim), optionally divided by Llama 3.1 frequency factors.
 */
public final class Rope implements AutoCloseable {
    /** One block per token: for one token (32 heads x 64 pairs) each thread rotates 2 pairs instead of 8. */
    public static final int THREADS = 1024;

    private final CudaModule module;
    private final CudaKernel kernel;

    public Rope(Cuda cuda) {
        this.module = PtxModules.load(cuda, "rope");
        this.kernel = module.kernel("rope_norm");
    }

    /** Plain RoPE; {@code positions} holds one int32 per token. */
    public void launch(DeviceBuffer x, DeviceBuffer positions, int tokens, int heads, int headDim, float base,
                       CudaStream stream) {
        check(x, positions, tokens, heads, headDim);
        kernel.launch(Dim3.of(tokens), Dim3.of(THREADS), 0, stream, KernelArgs.of().pointer(x).pointer(positions)
                .nullPointer().i32(heads).i32(headDim).f32(base));
    }

    /** RoPE with per-pair frequency divisors ({@code rope_freqs.weight}, headDim / 2 float32). */
    public void launch(DeviceBuffer x, DeviceBuffer positions, DeviceBuffer freqFactors, int tokens, int heads, int headDim,
                       float base, CudaStream stream) {
        check(x, positions, tokens, heads, headDim);
        requireBytes(freqFactors, (long) headDim / 2 * Float.BYTES, "freqFactors", "rope");
        kernel.launch(Dim3.of(tokens), Dim3.of(THREADS), 0, stream, KernelArgs.of().pointer(x).pointer(positions)
                .pointer(freqFactors).i32(heads).i32(headDim).f32(base));
    }

    private static void check(DeviceBuffer x, DeviceBuffer positions, int tokens, int heads, int headDim) {
        requirePositive(tokens, "tokens", "rope");
        requirePositive(heads, "heads", "rope");
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new IllegalArgumentException("rope: headDim must be positive and even, got " + headDim);
        }
        requireBytes(x, (long) tokens * heads * headDim * Float.BYTES, "x", "rope");
        requireBytes(positions, (long) tokens * Integer.BYTES, "positions", "rope");
    }

    @Override
    public void close() {
        module.close();
    }
}
