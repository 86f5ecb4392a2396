package dev.pagoda.cuda.kernels;

import java.util.Random;

/** Random but valid weight blocks: random quants and bits, sane f16 scales (never zero, never huge). */
final class RandomWeights {
    private RandomWeights() {
    }

    /** {@code matrix} placed {@code offset} bytes into a buffer whose bytes before it are random. */
    static byte[] atOffset(byte[] matrix, int offset, Random random) {
        byte[] padded = new byte[offset + matrix.length];
        random.nextBytes(padded);
        System.arraycopy(matrix, 0, padded, offset, matrix.length);
        return padded;
    }

    static byte[] matrix(WeightType type, int rows, int cols, Random random) {
        int blocks = rows * cols / type.blockElements();
        byte[] b = new byte[Math.toIntExact(type.rowBytes(cols) * rows)];
        random.nextBytes(b);
        for (int blk = 0; blk < blocks; blk++) {
            int at = blk * type.blockBytes();
            switch (type) {
                case F32 -> {
                    int bits = Float.floatToIntBits((float) random.nextGaussian());
                    for (int i = 0; i < 4; i++) b[at + i] = (byte) (bits >>> 8 * i);
                }
                case F16 -> putF16(b, at, (float) random.nextGaussian());
                case BF16 -> {
                    int bits = Float.floatToIntBits((float) random.nextGaussian()) >>> 16;
                    b[at] = (byte) bits;
                    b[at + 1] = (byte) (bits >>> 8);
                }
                case Q8_0 -> putF16(b, at, scale(random, 0.002f, 0.02f));
                case Q4_0 -> putF16(b, at, scale(random, 0.01f, 0.2f));
                case Q4_K, Q5_K -> {
                    putF16(b, at, scale(random, 0.001f, 0.02f));
                    putF16(b, at + 2, scale(random, 0.001f, 0.02f));
                }
                case Q6_K -> putF16(b, at + 208, scale(random, 0.0005f, 0.005f));
            }
        }
        return b;
    }

    private static float scale(Random random, float lo, float hi) {
        float s = lo + (hi - lo) * random.nextFloat();
        return random.nextBoolean() ? s : -s;
    }

    static void putF16(byte[] b, int at, float v) {
        short h = Float.floatToFloat16(v);
        b[at] = (byte) h;
        b[at + 1] = (byte) (h >>> 8);
    }

    static float[] gaussian(int n, Random random) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }
}
