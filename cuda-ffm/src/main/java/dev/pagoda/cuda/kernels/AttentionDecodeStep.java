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
 * One decode token's attention in one launch ({@code attention_decode.cu attention_decode_step_g<G>}): RoPE of
 * q and k, the f16 store of k and v into cache row {@code positions[0]}, and causal grouped-query attention
 * over rows 0..positions[0], which {@link RopeKvStore} and {@link Attention}'s one-token kernels (partials,
 * then their merge) do in three. Same float operations in the same order, so the same bits; q and k are
 * not rotated in place (nothing after attention reads them).
 *
 * <p>The launch saves two kernel boundaries per layer: the block whose span holds the new position stores
 * its kv head's row before reading its span, and the last block of each kv head to finish its partial
 * merges that group's partials. The blocks count themselves in on {@code arrivals}, one 32-bit counter per
 * kv head: zero it once ({@link #arrivalsBytes}); every launch leaves it zero. An experiment of decode
 * round 27 (docs/perf/NOTES.md), off by default: the forward pass takes it with
 * {@code -Dpagoda.cuda.attentionStep=true}. On the H100 it lost 6 % of 8B decode while it let the o projection
 * launch at its start, and 7 % while it lets o launch after its partials (2026-12-07): it stays off.
 */
public final class AttentionDecodeStep implements AutoCloseable {
    /** The system property that turns the one-launch attention of the decode step on ({@code true}). */
    public static final String PROPERTY = "pagoda.cuda.attentionStep";
    private static final int THREADS = 128;

    private final CudaModule module;
    private final CudaKernel[] byGroupLog2;

    public AttentionDecodeStep(Cuda cuda) {
        this.module = PtxModules.load(cuda, "attention_decode");
        this.byGroupLog2 = new CudaKernel[] {module.kernel("attention_decode_step_g1"),
                module.kernel("attention_decode_step_g2"), module.kernel("attention_decode_step_g4"),
                module.kernel("attention_decode_step_g8")};
    }

    /** Whether the forward pass should take this launch ({@link #PROPERTY}). */
    public static boolean enabled() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Bytes of the arrival counters for a model with {@code kvHeads} kv heads. */
    public static long arrivalsBytes(int kvHeads) {
        return (long) kvHeads * Integer.BYTES;
    }

    /**
     * Whether one token of this shape, with these buffers, can take the launch: what {@link Attention}'s
     * one-token kernel needs, and v rows as wide as k rows (one head width for both).
     */
    public static boolean fits(int heads, int kvHeads, int headDim, int valueWidth, DeviceBuffer... rows) {
        return valueWidth == kvHeads * headDim && Attention.decodeKernelFits(1, heads, kvHeads, headDim, rows);
    }

    /**
     * Queues one token's attention.
     *
     * @param q           [heads][headDim] float32, before RoPE (not modified)
     * @param k           [kvHeads][headDim] float32, before RoPE (not modified)
     * @param v           [kvHeads][headDim] float32
     * @param keyCache    [capacity][kvHeads][headDim] f16; row positions[0] is written
     * @param valueCache  as keyCache
     * @param positions   device int32 at offset 0: the token's position
     * @param freqFactors headDim / 2 float32 frequency divisors, or null for plain RoPE
     * @param arrivals    {@link #arrivalsBytes} bytes, zero before the first launch (and after each)
     * @param out         [heads][headDim] float32
     * @param maxEnd      the end (exclusive) of the longest sequence the launch may see, at most capacity
     */
    public void launch(DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, DeviceBuffer keyCache, DeviceBuffer valueCache,
                       DeviceBuffer positions, DeviceBuffer freqFactors, DeviceBuffer workspace, DeviceBuffer arrivals,
                       DeviceBuffer out, int heads, int kvHeads, int headDim, float ropeBase, int capacity, int maxEnd,
                       float scale, CudaStream stream) {
        String op = "attention_decode_step";
        requirePositive(kvHeads, "kvHeads", op);
        requirePositive(capacity, "capacity", op);
        requirePositive(maxEnd, "maxEnd", op);
        if (maxEnd > capacity) {
            throw new IllegalArgumentException(op + ": maxEnd (" + maxEnd + ") is past the cache's " + capacity + " rows");
        }
        if (heads % kvHeads != 0 || !fits(heads, kvHeads, headDim, kvHeads * headDim, q, k, v, keyCache, valueCache)) {
            throw new IllegalArgumentException(op + ": " + heads + " heads over " + kvHeads + " kv heads of width "
                    + headDim + " (or a buffer not 16-byte aligned) do not fit the one-token kernel");
        }
        int splits = Attention.decodeSplits(maxEnd, kvHeads);
        long rowBytes = (long) kvHeads * headDim * 2;
        requireBytes(q, (long) heads * headDim * Float.BYTES, "q", op);
        requireBytes(k, (long) kvHeads * headDim * Float.BYTES, "k", op);
        requireBytes(v, (long) kvHeads * headDim * Float.BYTES, "v", op);
        requireBytes(keyCache, capacity * rowBytes, "key cache of " + capacity + " rows", op);
        requireBytes(valueCache, capacity * rowBytes, "value cache of " + capacity + " rows", op);
        requireBytes(positions, Integer.BYTES, "positions", op);
        requireBytes(workspace, (long) heads * splits * (headDim + 2) * Float.BYTES, "workspace", op);
        requireBytes(arrivals, arrivalsBytes(kvHeads), "arrivals", op);
        requireBytes(out, (long) heads * headDim * Float.BYTES, "out", op);
        KernelArgs args = KernelArgs.of().pointer(q).pointer(k).pointer(v).pointer(keyCache).pointer(valueCache)
                .pointer(workspace).pointer(out).pointer(arrivals).pointer(positions);
        if (freqFactors == null) {
            args.nullPointer();
        } else {
            requireBytes(freqFactors, (long) headDim / 2 * Float.BYTES, "freqFactors", op);
            args.pointer(freqFactors);
        }
        args.i32(maxEnd).i32(capacity).i32(kvHeads).i32(headDim).i32(Attention.DECODE_MIN_SPAN).f32(scale).f32(ropeBase);
        byGroupLog2[Integer.numberOfTrailingZeros(heads / kvHeads)].launch(new Dim3(kvHeads, splits, 1),
                Dim3.of(THREADS), 0, stream, args);
    }

    @Override
    public void close() {
        module.close();
    }
}
