package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.KernelArgs;

import static dev.pagoda.cuda.kernels.LaunchChecks.requireBytes;
import static dev.pagoda.cuda.kernels.LaunchChecks.requirePositive;

/**
 * Where one decode token's k and v go and how its q and k are rotated, for a q/k/v launch that does
 * {@link RopeKvStore}'s work as it stores its rows ({@link FusedMatVec#launchQkvCache}): the f16 caches of
 * {@code capacity} rows ({@code [capacity][kvWidth]}, {@code [capacity][vWidth]}), the token's position on the
 * device (positions[0], also its cache row; rows outside [0, capacity) are not written), RoPE's frequency divisors
 * (headDim / 2 float32, or null for plain RoPE), head length and base.
 */
public record TokenCache(DeviceBuffer keyCache, DeviceBuffer valueCache, DeviceBuffer positions, DeviceBuffer freqFactors,
                         int headDim, float base, int capacity) {

    /**
     * Shared bytes the launch keeps after x's records for the token's cache row and each rotated pair's sine and
     * cosine, computed once per block (qkv_cache_store.cuh says why); matvec_ring.cu's TOKEN_CACHE finds them there.
     */
    static int tableBytes(int headDim) {
        return (16 + 4 * headDim + 15) & ~15;
    }

    void check(int kvWidth, int vWidth, String op) {
        requirePositive(capacity, "capacity", op);
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new IllegalArgumentException(op + ": headDim must be positive and even, got " + headDim);
        }
        requireBytes(keyCache, (long) capacity * kvWidth * 2, "key cache of " + capacity + " rows", op);
        requireBytes(valueCache, (long) capacity * vWidth * 2, "value cache of " + capacity + " rows", op);
        requireBytes(positions, Integer.BYTES, "positions", op);
        if (freqFactors != null) {
            requireBytes(freqFactors, (long) headDim / 2 * Float.BYTES, "freqFactors", op);
        }
    }

    void appendTo(KernelArgs args) {
        args.pointer(keyCache).pointer(valueCache).pointer(positions);
        args.pointerOrNull(freqFactors);
        args.i32(headDim).f32(base).i32(capacity);
    }
}
