package dev.pagoda.cuda.kernels;

/**
 * Plain scalar dequantization, written from ggml's dequantize_row_* (ggml-quants.c) element order, to
 * check the kernels against. Independent of the kernels' 32-element unit decomposition.
 */
final class ReferenceDequant {
    private ReferenceDequant() {
    }

    static float f16(byte[] b, int at) {
        return Float.float16ToFloat((short) ((b[at] & 0xff) | (b[at + 1] & 0xff) << 8));
    }

    /** Dequantizes {@code rows} rows of {@code cols} elements starting at byte {@code offset}. */
    static float[] dequantize(WeightType type, byte[] data, int offset, int rows, int cols) {
        float[] out = new float[rows * cols];
        int blocks = rows * cols / type.blockElements();
        for (int blk = 0; blk < blocks; blk++) {
            int at = offset + blk * type.blockBytes();
            int y = blk * type.blockElements();
            switch (type) {
                case F32 -> out[y] = Float.intBitsToFloat((data[at] & 0xff) | (data[at + 1] & 0xff) << 8
                        | (data[at + 2] & 0xff) << 16 | (data[at + 3] & 0xff) << 24);
                case F16 -> out[y] = f16(data, at);
                case BF16 -> out[y] = Float.intBitsToFloat(((data[at] & 0xff) | (data[at + 1] & 0xff) << 8) << 16);
                case Q8_0 -> {
                    float d = f16(data, at);
                    for (int j = 0; j < 32; j++) out[y + j] = d * data[at + 2 + j];
                }
                case Q4_0 -> {
                    float d = f16(data, at);
                    for (int j = 0; j < 16; j++) {
                        int q = data[at + 2 + j] & 0xff;
                        out[y + j] = ((q & 0xf) - 8) * d;
                        out[y + j + 16] = ((q >> 4) - 8) * d;
                    }
                }
                case Q4_K -> q4K(data, at, out, y, false);
                case Q5_K -> q4K(data, at, out, y, true);
                case Q6_K -> q6K(data, at, out, y);
            }
        }
        return out;
    }

    private static int[] scaleMin(byte[] b, int scales, int j) {
        int q = b[scales + j] & 0xff;
        if (j < 4) {
            return new int[] {q & 63, (b[scales + j + 4] & 0xff) & 63};
        }
        int q4 = b[scales + j + 4] & 0xff;
        int qm4 = b[scales + j - 4] & 0xff;
        return new int[] {(q4 & 0xf) | ((qm4 >> 6) << 4), (q4 >> 4) | ((q >> 6) << 4)};
    }

    /** q4_K, or q5_K when {@code fifthBit}: ggml's dequantize_row_q4_K / _q5_K. */
    private static void q4K(byte[] b, int at, float[] out, int y, boolean fifthBit) {
        float d = f16(b, at);
        float dmin = f16(b, at + 2);
        int scales = at + 4;
        int qh = at + 16;
        int ql = fifthBit ? at + 48 : at + 16;
        int u1 = 1;
        int u2 = 2;
        int is = 0;
        for (int j = 0; j < 256; j += 64) {
            int[] sm1 = scaleMin(b, scales, is);
            int[] sm2 = scaleMin(b, scales, is + 1);
            float d1 = d * sm1[0], m1 = dmin * sm1[1];
            float d2 = d * sm2[0], m2 = dmin * sm2[1];
            for (int l = 0; l < 32; l++) {
                int h = fifthBit && ((b[qh + l] & 0xff) & u1) != 0 ? 16 : 0;
                out[y++] = d1 * (((b[ql + l] & 0xff) & 0xf) + h) - m1;
            }
            for (int l = 0; l < 32; l++) {
                int h = fifthBit && ((b[qh + l] & 0xff) & u2) != 0 ? 16 : 0;
                out[y++] = d2 * (((b[ql + l] & 0xff) >> 4) + h) - m2;
            }
            ql += 32;
            is += 2;
            u1 <<= 2;
            u2 <<= 2;
        }
    }

    /** ggml's dequantize_row_q6_K. */
    private static void q6K(byte[] b, int at, float[] out, int y) {
        float d = f16(b, at + 208);
        int ql = at;
        int qh = at + 128;
        int sc = at + 192;
        for (int n = 0; n < 256; n += 128) {
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int h = b[qh + l] & 0xff;
                int q1 = (((b[ql + l] & 0xff) & 0xf) | ((h & 3) << 4)) - 32;
                int q2 = (((b[ql + l + 32] & 0xff) & 0xf) | (((h >> 2) & 3) << 4)) - 32;
                int q3 = (((b[ql + l] & 0xff) >> 4) | (((h >> 4) & 3) << 4)) - 32;
                int q4 = (((b[ql + l + 32] & 0xff) >> 4) | (((h >> 6) & 3) << 4)) - 32;
                out[y + l] = d * b[sc + is] * q1;
                out[y + l + 32] = d * b[sc + is + 2] * q2;
                out[y + l + 64] = d * b[sc + is + 4] * q3;
                out[y + l + 96] = d * b[sc + is + 6] * q4;
            }
            y += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }
}
