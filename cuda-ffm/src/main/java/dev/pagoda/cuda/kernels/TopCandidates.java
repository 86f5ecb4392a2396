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
 * The best {@value #CANDIDATES} logits of a vocabulary, best first, on the device
 * ({@code top_candidates.cu}), after llama.cpp's repeat penalty on the given ids: what a sampler with
 * top-k ≤ {@value #CANDIDATES} needs, so that 512 bytes cross the bus per token instead of the logits.
 *
 * <p>Each candidate is one 64-bit key, {@code (order-preserving int of the logit) << 32 | (INT_MAX − id)}:
 * the host sampler's own packing, so the order is the host's (larger logit first, the lower id on a tie)
 * and {@link #id} / {@link #logit} read a key back exactly. The output buffer holds the
 * {@value #CANDIDATES} keys, then one int32: the lowest index of a NaN logit, or
 * {@link Integer#MAX_VALUE} when there is none. Keys past the vocabulary (fewer than
 * {@value #CANDIDATES} logits) are {@link Long#MIN_VALUE}.
 */
public final class TopCandidates implements AutoCloseable {
    /** Candidates per launch. */
    public static final int CANDIDATES = 64;
    /** Largest vocabulary one launch takes: 64 slices of 2048 logits, whose 64 best each one block merges. */
    public static final int MAX_VOCABULARY = 64 * 2048;
    /** Bytes of the output: the keys, then the NaN index. */
    public static final long OUT_BYTES = CANDIDATES * Long.BYTES + Integer.BYTES;
    /** Offset of the NaN index in the output. */
    public static final long NAN_INDEX_OFFSET = CANDIDATES * Long.BYTES;
    private static final int SLICE = 2048;
    private static final int BLOCK_THREADS = 256;
    private static final int MERGE_THREADS = 1024;
    private static final int PENALIZE_THREADS = 256;

    private final CudaModule module;
    private final CudaKernel penalize;
    private final CudaKernel block;
    private final CudaKernel merge;

    public TopCandidates(Cuda cuda) {
        this.module = PtxModules.load(cuda, "top_candidates");
        this.penalize = module.kernel("candidates_penalize");
        this.block = module.kernel("candidates_block");
        this.merge = module.kernel("candidates_merge");
    }

    /** Bytes of the scratch a launch over {@code vocabulary} logits needs (each slice's candidates). */
    public static long scratchBytes(int vocabulary) {
        return (long) ceilDiv(vocabulary, SLICE) * CANDIDATES * Long.BYTES;
    }

    /**
     * Queues: logits[ids[i]] for i &lt; penalized (distinct ids, device int32) becomes l · penalty when
     * l ≤ 0, else l / penalty (in place); then the best {@value #CANDIDATES} keys and the NaN index into
     * {@code out}. {@code ids} may be null when {@code penalized} is 0.
     */
    public void launch(DeviceBuffer logits, int vocabulary, DeviceBuffer ids, int penalized, float penalty,
                       DeviceBuffer scratch, DeviceBuffer out, CudaStream stream) {
        requirePositive(vocabulary, "vocabulary", "top candidates");
        if (vocabulary > MAX_VOCABULARY) {
            throw new IllegalArgumentException("top candidates: a vocabulary of " + vocabulary + " is larger than "
                    + MAX_VOCABULARY);
        }
        if (penalized < 0 || penalized > vocabulary) {
            throw new IllegalArgumentException("top candidates: " + penalized + " penalized ids for a vocabulary of "
                    + vocabulary);
        }
        requireBytes(logits, (long) vocabulary * Float.BYTES, "logits", "top candidates");
        if (penalized > 0) {
            requireBytes(ids, (long) penalized * Integer.BYTES, "ids", "top candidates");
        }
        requireBytes(scratch, scratchBytes(vocabulary), "scratch", "top candidates");
        requireBytes(out, OUT_BYTES, "out", "top candidates");
        int slices = ceilDiv(vocabulary, SLICE);
        KernelArgs penalizeArgs = KernelArgs.of().pointer(logits);
        penalizeArgs = penalized > 0 ? penalizeArgs.pointer(ids) : penalizeArgs.pointer(logits);  // not read
        penalize.launch(Dim3.of(Math.max(1, ceilDiv(penalized, PENALIZE_THREADS))), Dim3.of(PENALIZE_THREADS), 0, stream,
                penalizeArgs.i32(penalized).f32(penalty).pointer(out, NAN_INDEX_OFFSET));
        block.launch(Dim3.of(slices), Dim3.of(BLOCK_THREADS), 0, stream,
                KernelArgs.of().pointer(logits).i32(vocabulary).pointer(scratch).pointer(out, NAN_INDEX_OFFSET));
        merge.launch(Dim3.of(1), Dim3.of(MERGE_THREADS), 0, stream,
                KernelArgs.of().pointer(scratch).i32(slices * CANDIDATES).pointer(out));
    }

    /** The token id of a candidate key. */
    public static int id(long key) {
        return Integer.MAX_VALUE - (int) key;
    }

    /** The (penalized) logit of a candidate key, exactly as it was on the device (−0 reads as +0). */
    public static float logit(long key) {
        int sortable = (int) (key >> 32);
        return Float.intBitsToFloat(sortable ^ ((sortable >> 31) & 0x7fffffff));
    }

    @Override
    public void close() {
        module.close();
    }
}
