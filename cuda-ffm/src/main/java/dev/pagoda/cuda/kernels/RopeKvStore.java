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
 * RoPE of q and k and the f16 store of k and v into the KV cache, in one launch
 * ({@code decode_fused.cu rope_qk_store}): what {@link Rope} twice and {@link KvStore} twice do, with the
 * same float operations. Token t's cache row is positions[0] + t, read on the device (a captured launch
 * serves every position); rows at or past {@code capacity} are not written.
 */
public final class RopeKvStore implements AutoCloseable {
    /** Threads per block: 8 warps, so a token's pairs spread over several multiprocessors. */
    static final int THREADS = 256;
    private final CudaModule module;
    private final CudaKernel kernel;

    public RopeKvStore(Cuda cuda) {
        this.module = PtxModules.load(cuda, "decode_fused");
        this.kernel = module.kernel("rope_qk_store");
    }

    /**
     * @param q           [tokens][qHeads][headDim] float32, rotated in place
     * @param k           [tokens][kvHeads][headDim] float32, rotated in place and stored
     * @param v           [tokens][vWidth] float32, stored
     * @param freqFactors headDim / 2 float32 frequency divisors, or null for plain RoPE
     * @param capacity    rows of both caches
     */
    public void launch(DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, DeviceBuffer keyCache, DeviceBuffer valueCache,
                       DeviceBuffer positions, DeviceBuffer freqFactors, int tokens, int qHeads, int kvHeads, int headDim,
                       int vWidth, float base, int capacity, CudaStream stream) {
        String op = "rope_qk_store";
        requirePositive(tokens, "tokens", op);
        requirePositive(qHeads, "qHeads", op);
        requirePositive(kvHeads, "kvHeads", op);
        requirePositive(vWidth, "vWidth", op);
        requirePositive(capacity, "capacity", op);
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new IllegalArgumentException(op + ": headDim must be positive and even, got " + headDim);
        }
        requireBytes(q, (long) tokens * qHeads * headDim * Float.BYTES, "q", op);
        requireBytes(k, (long) tokens * kvHeads * headDim * Float.BYTES, "k", op);
        requireBytes(v, (long) tokens * vWidth * Float.BYTES, "v", op);
        requireBytes(keyCache, (long) capacity * kvHeads * headDim * 2, "key cache of " + capacity + " rows", op);
        requireBytes(valueCache, (long) capacity * vWidth * 2, "value cache of " + capacity + " rows", op);
        requireBytes(positions, (long) tokens * Integer.BYTES, "positions", op);
        KernelArgs args = KernelArgs.of().pointer(q).pointer(k).pointer(v).pointer(keyCache).pointer(valueCache)
                .pointer(positions);
        if (freqFactors == null) {
            args.nullPointer();
        } else {
            requireBytes(freqFactors, (long) headDim / 2 * Float.BYTES, "freqFactors", op);
            args.pointer(freqFactors);
        }
        args.i32(qHeads).i32(kvHeads).i32(headDim).i32(vWidth).f32(base).i32(capacity);
        // blocks per token: one rotated pair per thread (the v store rides along in the same blocks)
        int perToken = (int) Math.max(1, ceilDiv((long) (qHeads + kvHeads) * (headDim / 2), THREADS));
        kernel.launch(new Dim3(tokens, perToken, 1), Dim3.of(THREADS), 0, stream, args);
    }

    @Override
    public void close() {
        module.close();
    }
}
