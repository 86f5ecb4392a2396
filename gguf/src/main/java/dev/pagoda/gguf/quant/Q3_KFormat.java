package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Q3_K (ggml {@code block_q3_K}, 110 bytes / 256 values): {@code hmask[32]} at 0, {@code qs[64]} at
 * 32 (low 2 bits, ordered as Q2_K), 12 bytes of sixteen packed 6-bit scales at 96
 * ({@link KQuantScales#q3Scale}), f16 {@code d} at 108. The high bit of value 32k + l is bit k of
 * hmask[l]; value = d·(scale−32)·(q − (high bit ? 0 : 4)).
 */
public final class Q3_KFormat implements QuantFormat {
    public static final Q3_KFormat INSTANCE = new Q3_KFormat();
    static final int QK = 256;
    static final int BYTES = 110;

    private Q3_KFormat() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q3_K;
    }

    @Override
    public void dequantizeScalar(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * BYTES;
            float dAll = Fp16.read(src, b + 108);
            int y = dstOffset + i * QK;
            int is = 0;
            int m = 1;
            for (int h = 0; h < 2; h++) {
                long q = b + 32 + 32L * h;
                for (int j = 0; j < 4; j++) {
                    int shift = 2 * j;
                    for (int half = 0; half < 2; half++) {
                        float dl = dAll * KQuantScales.q3Scale(src, b + 96, is++);
                        for (int l = 0; l < 16; l++) {
                            int low = ((src.get(LittleEndian.BYTE, q + 16 * half + l) & 0xFF) >>> shift) & 3;
                            int high = src.get(LittleEndian.BYTE, b + 16 * half + l) & m;
                            dst[y++] = dl * (low - (high != 0 ? 0 : 4));
                        }
                    }
                    m <<= 1;
                }
            }
        }
    }

    /**
     * ggml's {@code quantize_row_q3_K_ref}: each 16-value sub-block fitted by {@code make_q3_quants},
     * the sixteen scales quantized to 6 bits against the largest magnitude, values re-rounded.
     */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int blocks) {
        QuantFormat.requireFinite(type(), src, srcOffset, blocks * QK);
        KQuantScratch s = KQuantScratch.get();
        byte[] out = s.block;
        byte[] levels = s.levels;
        for (int i = 0; i < blocks; i++) {
            int x = srcOffset + i * QK;
            Arrays.fill(out, (byte) 0);
            float maxScale = 0;
            float amax = 0;
            for (int j = 0; j < 16; j++) {
                s.scales[j] = KQuantFit.makeQ3Quants(16, 4, src, x + 16 * j, levels, 16 * j);
                float scale = Math.abs(s.scales[j]);
                if (scale > amax) {
                    amax = scale;
                    maxScale = s.scales[j];
                }
            }
            short d = 0;
            if (maxScale != 0) {
                float iscale = -32.f / maxScale;
                for (int j = 0; j < 16; j++) {
                    int l = (byte) KQuantFit.nearestInt(iscale * s.scales[j]);
                    l = Math.max(-32, Math.min(31, l)) + 32;
                    if (j < 8) {
                        out[96 + j] = (byte) (l & 0xF);
                    } else {
                        out[96 + j - 8] |= (byte) ((l & 0xF) << 4);
                    }
                    l >>= 4;
                    out[96 + 8 + j % 4] |= (byte) (l << (2 * (j / 4)));
                }
                d = Fp16.fromFloat(1 / iscale);
            }
            out[108] = (byte) d;
            out[109] = (byte) (d >>> 8);
            float df = Fp16.toFloat(d);
            MemorySegment packed = MemorySegment.ofArray(out);
            for (int j = 0; j < 16; j++) {
                float dj = df * KQuantScales.q3Scale(packed, 96, j);
                if (dj == 0) {
                    continue;
                }
                for (int ii = 0; ii < 16; ii++) {
                    int l = KQuantFit.nearestInt(src[x + 16 * j + ii] / dj);
                    levels[16 * j + ii] = (byte) (Math.max(-4, Math.min(3, l)) + 4);
                }
            }
            int m = 0;
            int hm = 1;
            for (int j = 0; j < QK; j++) {
                if (levels[j] > 3) {
                    out[m] |= (byte) hm;
                    levels[j] -= 4;
                }
                if (++m == QK / 8) {
                    m = 0;
                    hm <<= 1;
                }
            }
            Q2_KFormat.packTwoBitLevels(levels, out, 32);
            MemorySegment.copy(out, 0, dst, LittleEndian.BYTE, dstOffset + (long) i * BYTES, BYTES);
        }
    }
}
