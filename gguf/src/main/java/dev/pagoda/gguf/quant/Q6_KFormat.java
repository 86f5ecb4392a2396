package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Q6_K (ggml {@code block_q6_K}, 210 bytes / 256 values): {@code ql[128]} at 0 (low 4 bits),
 * {@code qh[64]} at 128 (high 2 bits), int8 {@code scales[16]} at 192, f16 {@code d} at 208. For
 * each 128-value half h and l in 0..31, values l, l+32, l+64, l+96 take the low nibble of
 * ql[64h+l], of ql[64h+32+l], the high nibble of ql[64h+l], of ql[64h+32+l], and bits 0-1, 2-3, 4-5,
 * 6-7 of qh[32h+l]; value = d·scale·(q − 32), one scale per 16 values.
 */
public final class Q6_KFormat implements QuantFormat {
    public static final Q6_KFormat INSTANCE = new Q6_KFormat();
    static final int QK = 256;
    static final int BYTES = 210;

    private Q6_KFormat() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public void dequantizeScalar(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * BYTES;
            float d = Fp16.read(src, b + 208);
            for (int h = 0; h < 2; h++) {
                long ql = b + 64L * h;
                long qh = b + 128 + 32L * h;
                long sc = b + 192 + 8L * h;
                int y = dstOffset + i * QK + 128 * h;
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int a = src.get(LittleEndian.BYTE, ql + l) & 0xFF;
                    int c = src.get(LittleEndian.BYTE, ql + 32 + l) & 0xFF;
                    int hb = src.get(LittleEndian.BYTE, qh + l) & 0xFF;
                    int q1 = ((a & 0xF) | ((hb & 3) << 4)) - 32;
                    int q2 = ((c & 0xF) | (((hb >>> 2) & 3) << 4)) - 32;
                    int q3 = ((a >>> 4) | (((hb >>> 4) & 3) << 4)) - 32;
                    int q4 = ((c >>> 4) | (((hb >>> 6) & 3) << 4)) - 32;
                    dst[y + l] = d * src.get(LittleEndian.BYTE, sc + is) * q1;
                    dst[y + l + 32] = d * src.get(LittleEndian.BYTE, sc + is + 2) * q2;
                    dst[y + l + 64] = d * src.get(LittleEndian.BYTE, sc + is + 4) * q3;
                    dst[y + l + 96] = d * src.get(LittleEndian.BYTE, sc + is + 6) * q4;
                }
            }
        }
    }

    /**
     * ggml's {@code quantize_row_q6_K_ref}: each 16-value sub-block fitted by {@code make_qx_quants}
     * (weights x²), the sixteen scales quantized to int8 against the largest, values re-rounded.
     */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int blocks) {
        QuantFormat.requireFinite(type(), src, srcOffset, blocks * QK);
        KQuantScratch s = KQuantScratch.get();
        byte[] out = s.block;
        byte[] levels = s.levels;
        for (int i = 0; i < blocks; i++) {
            int x = srcOffset + i * QK;
            float maxScale = 0;
            float maxAbsScale = 0;
            for (int ib = 0; ib < 16; ib++) {
                float scale = KQuantFit.makeQxQuants(16, 32, src, x + 16 * ib, levels, 16 * ib);
                s.scales[ib] = scale;
                float abs = Math.abs(scale);
                if (abs > maxAbsScale) {
                    maxAbsScale = abs;
                    maxScale = scale;
                }
            }
            Arrays.fill(out, (byte) 0);
            if (maxAbsScale >= KQuantFit.GROUP_MAX_EPS) {
                float iscale = -128.f / maxScale;
                short d = Fp16.fromFloat(1 / iscale);
                out[208] = (byte) d;
                out[209] = (byte) (d >>> 8);
                for (int ib = 0; ib < 16; ib++) {
                    out[192 + ib] = (byte) Math.min(127, KQuantFit.nearestInt(iscale * s.scales[ib]));
                }
                float df = Fp16.toFloat(d);
                for (int j = 0; j < 16; j++) {
                    float dj = df * out[192 + j];
                    if (dj == 0) {
                        continue;
                    }
                    for (int ii = 0; ii < 16; ii++) {
                        int l = KQuantFit.nearestInt(src[x + 16 * j + ii] / dj);
                        levels[16 * j + ii] = (byte) (Math.max(-32, Math.min(31, l)) + 32);
                    }
                }
                for (int j = 0; j < QK; j += 128) {
                    int ql = j / 2;
                    int qh = 128 + j / 4;
                    for (int l = 0; l < 32; l++) {
                        int q1 = levels[j + l] & 0xF;
                        int q2 = levels[j + l + 32] & 0xF;
                        int q3 = levels[j + l + 64] & 0xF;
                        int q4 = levels[j + l + 96] & 0xF;
                        out[ql + l] = (byte) (q1 | (q3 << 4));
                        out[ql + l + 32] = (byte) (q2 | (q4 << 4));
                        out[qh + l] = (byte) ((levels[j + l] >> 4) | ((levels[j + l + 32] >> 4) << 2)
                                | ((levels[j + l + 64] >> 4) << 4) | ((levels[j + l + 96] >> 4) << 6));
                    }
                }
            }
            MemorySegment.copy(out, 0, dst, LittleEndian.BYTE, dstOffset + (long) i * BYTES, BYTES);
        }
    }
}
