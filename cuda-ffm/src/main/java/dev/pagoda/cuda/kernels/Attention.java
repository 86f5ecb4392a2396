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
 * Causal attention of new tokens over an f16 KV cache with grouped-query heads, split over spans of
 * positions ("flash-decoding", {@code attention.cu}). Token t of the batch sits at position startPos + t
 * and attends to positions 0..startPos + t; the cache rows for the batch must already be stored
 * ({@link KvStore}).
 *
 * <p>The start position is read from device memory when the kernels run, and the grid depends only on
 * the batch size and {@code maxEnd} (the end of the longest sequence the launch may see), so one
 * launch captured in a CUDA graph with {@code maxEnd} = the context length serves every decode step.
 * The device cuts each sequence into {@link #splits} spans of at least {@link #MIN_SPAN} positions;
 * spans past the sequence end cost one near-empty block each.
 */
public final class Attention implements AutoCloseable {
    /** Spans per (head, token) for one token: 32 heads x 32 spans is ~8 blocks per SM on an H100. */
    public static final int MAX_SPLITS = 32;
    /** Shortest span a block takes, so that short sequences use few blocks. */
    public static final int MIN_SPAN = 32;
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

    /**
     * Spans per (head, token) for a batch of {@code tokens} whose sequences end at or before
     * {@code maxEnd}: enough blocks to fill the device for one token, fewer for a batch (whose tokens
     * already give tokens x heads blocks), never more than {@code maxEnd / MIN_SPAN} rounded up.
     */
    public static int splits(int tokens, int maxEnd) {
        int byLength = ceilDiv(maxEnd, MIN_SPAN);
        int byBatch = Math.max(1, MAX_SPLITS / tokens);
        return Math.max(1, Math.min(byLength, byBatch));
    }

    /**
     * Bytes of the float32 workspace that covers every launch of up to {@code maxTokens} tokens, at any
     * length (tokens x splits never exceeds max(tokens, MAX_SPLITS)).
     */
    public static long workspaceBytes(int maxTokens, int heads, int headDim) {
        return (long) Math.max(maxTokens, MAX_SPLITS) * heads * (headDim + 2) * Float.BYTES;
    }

    /**
     * Queues out = softmax(q k^T * scale) v per head.
     *
     * @param q [tokens][heads][headDim] float32
     * @param kCache [ctx][kvHeads][headDim] f16, with at least maxEnd rows
     * @param startPos device int32 at offset 0: the position of the batch's first token; a token
     *     never sees more than {@code maxEnd} positions
     * @param maxEnd the end (exclusive) of the longest sequence this launch may see: the context
     *     length for a captured decode step, startPos + tokens for a launch made for one position
     * @param out [tokens][heads][headDim] float32
     */
    public void launch(DeviceBuffer q, DeviceBuffer kCache, DeviceBuffer vCache, DeviceBuffer workspace, DeviceBuffer out,
                       int tokens, int heads, int kvHeads, int headDim, DeviceBuffer startPos, int maxEnd, float scale,
                       CudaStream stream) {
        requirePositive(tokens, "tokens", "attention");
        requirePositive(kvHeads, "kvHeads", "attention");
        requirePositive(maxEnd, "maxEnd", "attention");
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("attention: heads (" + heads + ") must be a multiple of kvHeads (" + kvHeads + ")");
        }
        if (headDim <= 0 || headDim % 2 != 0 || headDim > MAX_HEAD_DIM) {
            throw new IllegalArgumentException("attention: headDim must be even and in 2.." + MAX_HEAD_DIM + ", got " + headDim);
        }
        int splits = splits(tokens, maxEnd);
        long cacheBytes = (long) maxEnd * kvHeads * headDim * 2;
        requireBytes(q, (long) tokens * heads * headDim * Float.BYTES, "q", "attention");
        requireBytes(kCache, cacheBytes, "kCache", "attention");
        requireBytes(vCache, cacheBytes, "vCache", "attention");
        requireBytes(startPos, Integer.BYTES, "startPos", "attention");
        requireBytes(workspace, (long) tokens * heads * splits * (headDim + 2) * Float.BYTES, "workspace", "attention");
        requireBytes(out, (long) tokens * heads * headDim * Float.BYTES, "out", "attention");
        partial.launch(new Dim3(heads, splits, tokens), Dim3.of(THREADS), 0, stream,
                KernelArgs.of().pointer(q).pointer(kCache).pointer(vCache).pointer(workspace).pointer(startPos)
                        .i32(maxEnd).i32(heads).i32(kvHeads).i32(headDim).i32(MIN_SPAN).f32(scale));
        combine.launch(Dim3.of(heads, tokens), Dim3.of(THREADS), 0, stream,
                KernelArgs.of().pointer(workspace).pointer(out).i32(heads).i32(headDim).i32(splits));
    }

    @Override
    public void close() {
        module.close();
    }
}
