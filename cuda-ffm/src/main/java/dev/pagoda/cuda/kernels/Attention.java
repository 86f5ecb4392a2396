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
 *
 * <p>One token whose group size (heads / kvHeads) is 1, 2, 4 or 8, with a power-of-two head width from 8
 * to 256 and 16-byte aligned buffers, takes {@code attention_decode.cu} instead: one block per (kv head,
 * span) for all query heads of the group, so each K/V row is read once per group with 16-byte loads,
 * and {@link #decodeSplits} spans per kv head fill the device.
 *
 * <p>A batch of at least {@link #PREFILL_MIN_TOKENS} tokens with head width 64 or 128 and 16-byte aligned
 * buffers takes {@code attention_prefill.cu}: one block per (64 tokens, head) on the tensor cores, with Q
 * and the softmax weights rounded to f16 for the products (the scores, softmax sums and output stay
 * float32). Other batches take the general kernel, in float32 throughout.
 */
public final class Attention implements AutoCloseable {
    /** Spans per (head, token) for one token: 32 heads x 32 spans is ~8 blocks per SM on an H100. */
    public static final int MAX_SPLITS = 32;
    /** Shortest span a block takes, so that short sequences use few blocks. */
    public static final int MIN_SPAN = 32;
    public static final int THREADS = 128;
    public static final int MAX_HEAD_DIM = 256;
    /** Spans per kv head for one token at most: 8 kv heads x 64 spans is ~4 blocks per SM on an H100. */
    public static final int DECODE_MAX_SPLITS = 64;
    /**
     * Blocks the one-token kernel aims for over all kv heads: about two per SM of a 132-SM device. At 159
     * registers per thread (head group 4) three blocks fit an SM, at 237 (group 8) two, so 512 ran as two
     * waves: on the H200 at 4096 and 16384 positions 32 spans per kv head took 16.5 and 37.6 us per layer
     * where 64 took 21.6 and 44.2 (DecodeAttentionSweep, partials and merge).
     */
    public static final int DECODE_TARGET_BLOCKS = 256;
    /** Shortest span of the one-token kernel: 4 warps x 2 rows x 4 steps of loads at head width 128. */
    public static final int DECODE_MIN_SPAN = 32;
    private static final int DECODE_THREADS = 128;
    /** Fewest tokens that take the tensor-core batch kernel (its blocks hold 64 query rows). */
    public static final int PREFILL_MIN_TOKENS = 16;
    private static final int PREFILL_TOKENS_PER_BLOCK = 64;
    private static final int PREFILL_POSITIONS_PER_TILE = 64;
    private static final int PREFILL_THREADS = 128;
    private static final double LOG2_E = 1.4426950408889634;

    private final CudaModule module;
    private final CudaKernel partial;
    private final CudaKernel combine;
    private final CudaModule decodeModule;
    private final CudaKernel[] decodeByGroupLog2;
    private final CudaKernel decodeCombine;
    private final CudaModule prefillModule;
    private final CudaKernel prefill64;
    private final CudaKernel prefill128;

    public Attention(Cuda cuda) {
        this.module = PtxModules.load(cuda, "attention");
        this.partial = module.kernel("attention_partial");
        this.combine = module.kernel("attention_combine");
        this.decodeModule = PtxModules.load(cuda, "attention_decode");
        this.decodeByGroupLog2 = new CudaKernel[] {decodeModule.kernel("attention_decode_g1"),
                decodeModule.kernel("attention_decode_g2"), decodeModule.kernel("attention_decode_g4"),
                decodeModule.kernel("attention_decode_g8")};
        this.decodeCombine = decodeModule.kernel("attention_decode_combine");
        this.prefillModule = PtxModules.load(cuda, "attention_prefill");
        this.prefill64 = prefillModule.kernel("attention_prefill_d64");
        this.prefill128 = prefillModule.kernel("attention_prefill_d128");
        prefill64.allowDynamicSharedMemory(prefillSharedBytes(64));
        prefill128.allowDynamicSharedMemory(prefillSharedBytes(128));
    }

    // a 64-token Q tile and two 64-position K and V tiles, f16, rows padded by 8 halves
    private static int prefillSharedBytes(int headDim) {
        return (PREFILL_TOKENS_PER_BLOCK + 4 * PREFILL_POSITIONS_PER_TILE) * (headDim + 8) * 2;
    }

    /** Whether a batch with this shape and these buffers takes the tensor-core kernel. */
    static boolean prefillKernelFits(int tokens, int headDim, DeviceBuffer... rows) {
        if (tokens < PREFILL_MIN_TOKENS || (headDim != 64 && headDim != 128)) {
            return false;
        }
        for (DeviceBuffer b : rows) {
            if (b.unsafeAddress() % 16 != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Spans per kv head for the one-token kernel at contexts up to {@code maxEnd}: about
     * {@link #DECODE_TARGET_BLOCKS} blocks in all, never more than {@code maxEnd / DECODE_MIN_SPAN} rounded up.
     */
    public static int decodeSplits(int maxEnd, int kvHeads) {
        int byLength = ceilDiv(maxEnd, DECODE_MIN_SPAN);
        int byDevice = Math.min(DECODE_MAX_SPLITS, ceilDiv(DECODE_TARGET_BLOCKS, kvHeads));
        return Math.max(1, Math.min(byLength, byDevice));
    }

    /** Whether one token with this shape and these buffers takes the one-token kernel. */
    static boolean decodeKernelFits(int tokens, int heads, int kvHeads, int headDim, DeviceBuffer... rows) {
        int group = heads / kvHeads;
        if (tokens != 1 || Integer.bitCount(group) != 1 || group > 8) {
            return false;
        }
        if (Integer.bitCount(headDim) != 1 || headDim < 8 || headDim > MAX_HEAD_DIM) {
            return false;
        }
        for (DeviceBuffer b : rows) {
            if (b.unsafeAddress() % 16 != 0) {
                return false;
            }
        }
        return true;
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
        return (long) Math.max(maxTokens, Math.max(MAX_SPLITS, DECODE_MAX_SPLITS)) * heads * (headDim + 2) * Float.BYTES;
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
        boolean oneToken = decodeKernelFits(tokens, heads, kvHeads, headDim, q, kCache, vCache);
        int splits = oneToken ? decodeSplits(maxEnd, kvHeads) : splits(tokens, maxEnd);
        long cacheBytes = (long) maxEnd * kvHeads * headDim * 2;
        requireBytes(q, (long) tokens * heads * headDim * Float.BYTES, "q", "attention");
        requireBytes(kCache, cacheBytes, "kCache", "attention");
        requireBytes(vCache, cacheBytes, "vCache", "attention");
        requireBytes(startPos, Integer.BYTES, "startPos", "attention");
        requireBytes(workspace, (long) tokens * heads * splits * (headDim + 2) * Float.BYTES, "workspace", "attention");
        requireBytes(out, (long) tokens * heads * headDim * Float.BYTES, "out", "attention");
        if (!oneToken && prefillKernelFits(tokens, headDim, q, kCache, vCache, out)) {
            launchPrefill(q, kCache, vCache, out, tokens, heads, kvHeads, headDim, startPos, maxEnd, scale, stream);
            return;
        }
        if (oneToken) {
            launchDecodeParts(q, kCache, vCache, workspace, out, heads, kvHeads, headDim, startPos, maxEnd, scale, splits,
                    DECODE_MIN_SPAN, true, true, stream);
            return;
        }
        launchGeneral(q, kCache, vCache, workspace, out, tokens, heads, kvHeads, headDim, startPos, maxEnd, scale, stream);
    }

    /** The tensor-core batch kernel (arguments as checked by {@link #launch}, shape by {@link #prefillKernelFits}). */
    void launchPrefill(DeviceBuffer q, DeviceBuffer kCache, DeviceBuffer vCache, DeviceBuffer out, int tokens,
            int heads, int kvHeads, int headDim, DeviceBuffer startPos, int maxEnd, float scale, CudaStream stream) {
        CudaKernel kernel = headDim == 64 ? prefill64 : prefill128;
        kernel.launch(Dim3.of(ceilDiv(tokens, PREFILL_TOKENS_PER_BLOCK), heads), Dim3.of(PREFILL_THREADS),
                prefillSharedBytes(headDim), stream,
                KernelArgs.of().pointer(q).pointer(kCache).pointer(vCache).pointer(out).pointer(startPos)
                        .i32(maxEnd).i32(tokens).i32(heads).i32(kvHeads).f32((float) (scale * LOG2_E)));
    }

    /**
     * The general batch kernels (split spans, float32), whatever the shape: the sweep in the tests times
     * them against the tensor-core kernel. Arguments as checked by {@link #launch}.
     */
    void launchGeneral(DeviceBuffer q, DeviceBuffer kCache, DeviceBuffer vCache, DeviceBuffer workspace, DeviceBuffer out,
            int tokens, int heads, int kvHeads, int headDim, DeviceBuffer startPos, int maxEnd, float scale,
            CudaStream stream) {
        int splits = splits(tokens, maxEnd);
        partial.launch(new Dim3(heads, splits, tokens), Dim3.of(THREADS), 0, stream,
                KernelArgs.of().pointer(q).pointer(kCache).pointer(vCache).pointer(workspace).pointer(startPos)
                        .i32(maxEnd).i32(heads).i32(kvHeads).i32(headDim).i32(MIN_SPAN).f32(scale));
        combine.launch(Dim3.of(heads, tokens), Dim3.of(THREADS), 0, stream,
                KernelArgs.of().pointer(workspace).pointer(out).i32(heads).i32(headDim).i32(splits));
    }

    /**
     * The one-token kernels with a given split count and shortest span, either or both of them (the
     * combine alone reads whatever partials the workspace holds): the sweep in the tests times the parts
     * and the alternatives to {@link #decodeSplits}. Arguments as checked by {@link #launch}.
     */
    void launchDecodeParts(DeviceBuffer q, DeviceBuffer kCache, DeviceBuffer vCache, DeviceBuffer workspace,
            DeviceBuffer out, int heads, int kvHeads, int headDim, DeviceBuffer startPos, int maxEnd, float scale,
            int splits, int minSpan, boolean partials, boolean combine, CudaStream stream) {
        if (partials) {
            CudaKernel kernel = decodeByGroupLog2[Integer.numberOfTrailingZeros(heads / kvHeads)];
            kernel.launch(new Dim3(kvHeads, splits, 1), Dim3.of(DECODE_THREADS), 0, stream,
                    KernelArgs.of().pointer(q).pointer(kCache).pointer(vCache).pointer(workspace).pointer(startPos)
                            .i32(maxEnd).i32(kvHeads).i32(headDim).i32(minSpan).f32(scale));
        }
        if (combine) {
            decodeCombine.launch(Dim3.of(heads), Dim3.of(DECODE_THREADS), splits * Float.BYTES, stream,
                    KernelArgs.of().pointer(workspace).pointer(out).i32(headDim).i32(splits));
        }
    }

    @Override
    public void close() {
        prefillModule.close();
        decodeModule.close();
        module.close();
    }
}
