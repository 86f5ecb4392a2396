package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaKernel;
import dev.pagoda.cuda.CudaModule;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.Dim3;
import dev.pagoda.cuda.KernelArgs;

import static dev.pagoda.cuda.kernels.LaunchChecks.ceilDiv;
import static dev.pagoda.cuda.kernels.LaunchChecks.requireBytes;
import static dev.pagoda.cuda.kernels.LaunchChecks.requirePositive;

/**
 * Causal attention of new tokens over an f16 KV cache with grouped-query heads, split over chunks of
 * {@link #CHUNK} positions ("flash-decoding", {@code attention.cu}). Token t of the batch sits at
 * position startPos + t and attends to positions 0..startPos + t; the cache rows for the batch must
 * already be stored ({@link KvStore}).
 */
public final class Attention implements AutoCloseable {
    /** Positions per split (one block each). */
    public static final int CHUNK = 256;
    public static final int THREADS = 128;
    public static final int MAX_HEAD_DIM = 256;

    private final CudaModule module;
    private final CudaKernel partial;
    private final CudaKernel combine;

    public Attention(Cuda cuda) {
        this.module = PtxModules.load(cuda, "attention");
        this.partial = module.kernel("attention_partial");
        this.combine = module.kernel("attention_combine");
    }

    /** Number of position chunks for a batch ending at position startPos + tokens - 1. */
    public static int splits(int startPos, int tokens) {
        return ceilDiv((long) startPos + tokens, CHUNK);
    }

    /** Bytes of the float32 workspace {@link #launch} needs for the partial results. */
    public static long workspaceBytes(int tokens, int heads, int headDim, int startPos) {
        return (long) tokens * heads * splits(startPos, tokens) * (headDim + 2) * Float.BYTES;
    }

    /**
     * Queues out = softmax(q k^T * scale) v per head.
     *
     * @param q [tokens][heads][headDim] float32
     * @param kCache [ctx][kvHeads][headDim] f16, with at least startPos + tokens rows
     * @param out [tokens][heads][headDim] float32
     */
    public void launch(DeviceBuffer q, DeviceBuffer kCache, DeviceBuffer vCache, DeviceBuffer workspace, DeviceBuffer out,
                       int tokens, int heads, int kvHeads, int headDim, int startPos, float scale, CudaStream stream) {
        requirePositive(tokens, "tokens", "attention");
        requirePositive(kvHeads, "kvHeads", "attention");
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("attention: heads (" + heads + ") must be a multiple of kvHeads (" + kvHeads + ")");
        }
        if (headDim <= 0 || headDim % 2 != 0 || headDim > MAX_HEAD_DIM) {
            throw new IllegalArgumentException("attention: headDim must be even and in 2.." + MAX_HEAD_DIM + ", got " + headDim);
        }
        if (startPos < 0) {
            throw new IllegalArgumentException("attention: startPos must be >= 0, got " + startPos);
        }
        long cacheBytes = ((long) startPos + tokens) * kvHeads * headDim * 2;
        requireBytes(q, (long) tokens * heads * headDim * Float.BYTES, "q", "attention");
        requireBytes(kCache, cacheBytes, "kCache", "attention");
        requireBytes(vCache, cacheBytes, "vCache", "attention");
        requireBytes(workspace, workspaceBytes(tokens, heads, headDim, startPos), "workspace", "attention");
        requireBytes(out, (long) tokens * heads * headDim * Float.BYTES, "out", "attention");
        int splits = splits(startPos, tokens);
        partial.launch(new Dim3(heads, splits, tokens), Dim3.of(THREADS), (headDim + CHUNK) * Float.BYTES, stream,
                KernelArgs.of().pointer(q).pointer(kCache).pointer(vCache).pointer(workspace).i32(heads).i32(kvHeads)
                        .i32(headDim).i32(startPos).i32(CHUNK).f32(scale));
        combine.launch(Dim3.of(heads, tokens), Dim3.of(THREADS), 0, stream,
                KernelArgs.of().pointer(workspace).pointer(out).i32(heads).i32(headDim).i32(splits));
    }

    @Override
    public void close() {
        module.close();
    }
}
