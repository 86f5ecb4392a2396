package dev.pagoda.core.synth;

/**
 * A small, fast SplitMix64 generator for one chunk of one tensor. Its seed mixes the model seed,
 * the tensor's index and the chunk's index, so every chunk draws the same values whichever thread
 * makes it and in whatever order: the file depends on the seed alone. Not thread-safe; one per
 * chunk.
 */
final class ChunkRandom {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** 1 / (standard deviation of a sum of four uniform 16-bit integers). */
    private static final float INV_SUM4_STD = (float) (1.0 / (65536.0 * Math.sqrt(4.0 / 12.0)));
    private static final float SUM4_MEAN = 4 * 32767.5f;

    private long state;

    ChunkRandom(long seed, int tensorIndex, long chunkIndex) {
        this.state = mix(mix(seed ^ GOLDEN) ^ ((long) tensorIndex << 40) ^ chunkIndex);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64 random bits. */
    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform integer in [lo, hi]. */
    int nextInt(int lo, int hi) {
        return lo + (int) (((nextLong() >>> 32) * (hi - lo + 1L)) >>> 32);
    }

    /**
     * Approximately standard normal: the centred, scaled sum of the four 16-bit quarters of one
     * draw (Irwin–Hall with n = 4; bounded by ±3.46, smooth enough for weights).
     */
    float nextGaussian() {
        long r = nextLong();
        long sum = (r & 0xFFFF) + ((r >>> 16) & 0xFFFF) + ((r >>> 32) & 0xFFFF) + (r >>> 48);
        return (sum - SUM4_MEAN) * INV_SUM4_STD;
    }
}
