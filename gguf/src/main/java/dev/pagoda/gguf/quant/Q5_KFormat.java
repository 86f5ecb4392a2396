package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q5_K (ggml {@code block_q5_K}, 176 bytes / 256 values): f16 {@code d} at 0, f16 {@code dmin} at 2,
 * 12 bytes of packed scales and mins at 4, {@code qh[32]} at 16, {@code qs[128]} at 48. Low 4 bits as
 * Q4_K; the fifth bit of value l of chunk c is bit 2c of qh[l] (low half) or bit 2c+1 (high half);
 * value = d·scale·q − dmin·min.
 */
public final class Q5_KFormat implements QuantFormat {
    public static final Q5_KFormat INSTANCE = new Q5_KFormat();
    static final int QK = 256;
    static final int BYTES = 176;

    private Q5_KFormat() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    @Override
    public void dequantizeScalar(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * BYTES;
            float d = Fp16.read(src, b);
            float min = Fp16.read(src, b + 2);
            int y = dstOffset + i * QK;
            for (int c = 0; c < 4; c++) {
                float d1 = d * KQuantScales.scale(src, b + 4, 2 * c);
                float m1 = min * KQuantScales.min(src, b + 4, 2 * c);
                float d2 = d * KQuantScales.scale(src, b + 4, 2 * c + 1);
                float m2 = min * KQuantScales.min(src, b + 4, 2 * c + 1);
                int u1 = 1 << (2 * c);
                int u2 = 2 << (2 * c);
                long ql = b + 48 + 32L * c;
                for (int l = 0; l < 32; l++) {
                    int v = src.get(LittleEndian.BYTE, ql + l) & 0xFF;
                    int h = src.get(LittleEndian.BYTE, b + 16 + l) & 0xFF;
                    dst[y + 64 * c + l] = d1 * ((v & 0xF) + ((h & u1) != 0 ? 16 : 0)) - m1;
                    dst[y + 64 * c + 32 + l] = d2 * ((v >>> 4) + ((h & u2) != 0 ? 16 : 0)) - m2;
                }
            }
        }
    }

    /** ggml's {@code quantize_row_q5_K_ref}: as Q4_K with 5-bit levels and a narrower scale search. */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int blocks) {
        QuantFormat.requireFinite(type(), src, srcOffset, blocks * QK);
        KQuantScratch s = KQuantScratch.get();
        for (int i = 0; i < blocks; i++) {
            Q4_KFormat.quantizeBlock(src, srcOffset + i * QK, s, 31, -0.5f, 0.1f, 15);
            byte[] out = s.block;
            byte[] levels = s.levels;
            int m1 = 1;
            int m2 = 2;
            for (int n = 0; n < QK; n += 64) {
                for (int j = 0; j < 32; j++) {
                    int l1 = levels[n + j];
                    if (l1 > 15) {
                        l1 -= 16;
                        out[16 + j] |= (byte) m1;
                    }
                    int l2 = levels[n + j + 32];
                    if (l2 > 15) {
                        l2 -= 16;
                        out[16 + j] |= (byte) m2;
                    }
                    out[48 + n / 2 + j] = (byte) (l1 | (l2 << 4));
                }
                m1 <<= 2;
                m2 <<= 2;
            }
            MemorySegment.copy(out, 0, dst, LittleEndian.BYTE, dstOffset + (long) i * BYTES, BYTES);
        }
    }
}
