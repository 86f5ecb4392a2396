package dev.pagoda.gguf.quant;

/**
 * Per-thread working arrays of the K-quant quantizers, so that quantizing allocates nothing after a
 * thread's first block and disjoint rows can be quantized concurrently.
 */
final class KQuantScratch {
    private static final ThreadLocal<KQuantScratch> PER_THREAD = ThreadLocal.withInitial(KQuantScratch::new);

    /** Quantized level of each of the 256 values of a super-block. */
    final byte[] levels = new byte[256];
    /** Candidate levels of one sub-block while searching scales. */
    final byte[] levelsAux = new byte[32];
    /** Per-value weights of one sub-block. */
    final float[] weights = new float[32];
    /** Per-sub-block float scales and mins before they are quantized themselves. */
    final float[] scales = new float[16];
    final float[] mins = new float[16];
    /** Six-bit quantized scales and mins of the eight Q4_K / Q5_K sub-blocks. */
    final int[] scaleLevels = new int[8];
    final int[] minLevels = new int[8];
    /** One output block, assembled in place before it is copied out (210 bytes is the largest, Q6_K). */
    final byte[] block = new byte[256];

    static KQuantScratch get() {
        return PER_THREAD.get();
    }
}
