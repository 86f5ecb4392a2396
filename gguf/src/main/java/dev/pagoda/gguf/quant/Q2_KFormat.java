package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Q2_K (ggml {@code block_q2_K}, 84 bytes / 256 values): {@code scales[16]} at 0 (low nibble scale,
 * high nibble min, one pair per 16 values), {@code qs[64]} at 16, f16 {@code d} at 80, f16
 * {@code dmin} at 82. For each 128-value half h, shift s (0, 2, 4, 6) and l in 0..31, value
 * 128h + 32(s/2) + l is bits s..s+1 of qs[32h + l]; value = d·scale·q − dmin·min.
 */
public final class Q2_KFormat implements QuantFormat {
    public static final Q2_KFormat INSTANCE = new Q2_KFormat();
    static final int QK = 256;
    static final int BYTES = 84;

    private Q2_KFormat() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q2_K;
    }

    @Override
    public void dequantizeScalar(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * BYTES;
            float d = Fp16.read(src, b + 80);
            float min = Fp16.read(src, b + 82);
            int y = dstOffset + i * QK;
            int is = 0;
            for (int h = 0; h < 2; h++) {
                long q = b + 16 + 32L * h;
                for (int j = 0; j < 4; j++) {
                    int shift = 2 * j;
                    for (int half = 0; half < 2; half++) {
                        int sc = src.get(LittleEndian.BYTE, b + is++) & 0xFF;
                        float dl = d * (sc & 0xF);
                        float ml = min * (sc >>> 4);
                        for (int l = 0; l < 16; l++) {
                            int v = ((src.get(LittleEndian.BYTE, q + 16 * half + l) & 0xFF) >>> shift) & 3;
                            dst[y++] = dl * v - ml;
                        }
                    }
                }
            }
        }
    }

    /**
     * ggml's {@code quantize_row_q2_K_ref}: each 16-value sub-block fitted by
     * {@code make_qkx2_quants} (weights |x|, absolute error), scales and mins quantized to 4 bits.
     */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int blocks) {
        QuantFormat.requireFinite(type(), src, srcOffset, blocks * QK);
        KQuantScratch s = KQuantScratch.get();
        byte[] out = s.block;
        byte[] levels = s.levels;
        final float q4scale = 15.f;
        for (int i = 0; i < blocks; i++) {
            int x = srcOffset + i * QK;
            Arrays.fill(out, (byte) 0);
            float maxScale = 0;
            float maxMin = 0;
            for (int j = 0; j < 16; j++) {
                for (int l = 0; l < 16; l++) {
                    s.weights[l] = Math.abs(src[x + 16 * j + l]);
                }
                s.scales[j] = KQuantFit.makeQkx2Quants(16, 3, src, x + 16 * j, s.weights, levels, 16 * j, s.mins, j,
                        s.levelsAux, -0.5f, 0.1f, 15, true);
                if (s.scales[j] > maxScale) {
                    maxScale = s.scales[j];
                }
                if (s.mins[j] > maxMin) {
                    maxMin = s.mins[j];
                }
            }
            short d = 0;
            short dmin = 0;
            if (maxScale > 0) {
                float iscale = q4scale / maxScale;
                for (int j = 0; j < 16; j++) {
                    out[j] = (byte) KQuantFit.nearestInt(iscale * s.scales[j]);
                }
                d = Fp16.fromFloat(maxScale / q4scale);
            }
            if (maxMin > 0) {
                float iscale = q4scale / maxMin;
                for (int j = 0; j < 16; j++) {
                    out[j] |= (byte) (KQuantFit.nearestInt(iscale * s.mins[j]) << 4);
                }
                dmin = Fp16.fromFloat(maxMin / q4scale);
            }
            out[80] = (byte) d;
            out[81] = (byte) (d >>> 8);
            out[82] = (byte) dmin;
            out[83] = (byte) (dmin >>> 8);
            float df = Fp16.toFloat(d);
            float dminf = Fp16.toFloat(dmin);
            for (int j = 0; j < 16; j++) {
                float dj = df * (out[j] & 0xF);
                if (dj == 0) {
                    continue;
                }
                float dm = dminf * ((out[j] & 0xFF) >>> 4);
                for (int ii = 0; ii < 16; ii++) {
                    int l = KQuantFit.nearestInt((src[x + 16 * j + ii] + dm) / dj);
                    levels[16 * j + ii] = (byte) Math.max(0, Math.min(3, l));
                }
            }
            packTwoBitLevels(levels, out, 16);
            MemorySegment.copy(out, 0, dst, LittleEndian.BYTE, dstOffset + (long) i * BYTES, BYTES);
        }
    }

    /** Packs 256 two-bit levels as Q2_K and Q3_K store them: four values 32 apart per byte. */
    static void packTwoBitLevels(byte[] levels, byte[] out, int at) {
        for (int j = 0; j < QK; j += 128) {
            for (int l = 0; l < 32; l++) {
                out[at + j / 4 + l] = (byte) (levels[j + l] | (levels[j + l + 32] << 2) | (levels[j + l + 64] << 4)
                        | (levels[j + l + 96] << 6));
            }
        }
    }
}
