package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Q4_K (ggml {@code block_q4_K}, 144 bytes / 256 values): f16 {@code d} at 0, f16 {@code dmin} at 2,
 * 12 bytes of packed 6-bit scales and mins at 4 ({@link KQuantScales}), {@code qs[128]} at 16.
 * Eight sub-blocks of 32: for the 64 values of chunk c (0..3), value l is the low nibble of
 * qs[32c + l] (sub-block 2c) and value 32 + l the high nibble (sub-block 2c+1);
 * value = d·scale·q − dmin·min.
 */
public final class Q4_KFormat implements QuantFormat {
    public static final Q4_KFormat INSTANCE = new Q4_KFormat();
    static final int QK = 256;
    static final int BYTES = 144;

    private Q4_KFormat() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
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
                long q = b + 16 + 32L * c;
                for (int l = 0; l < 32; l++) {
                    int v = src.get(LittleEndian.BYTE, q + l) & 0xFF;
                    dst[y + 64 * c + l] = d1 * (v & 0xF) - m1;
                    dst[y + 64 * c + 32 + l] = d2 * (v >>> 4) - m2;
                }
            }
        }
    }

    /**
     * ggml's {@code quantize_row_q4_K_ref}: each sub-block fitted by {@code make_qkx2_quants} (weights
     * rms + |x|), scales and mins quantized to 6 bits against the largest, then every value re-rounded
     * against the final scale and min.
     */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int blocks) {
        QuantFormat.requireFinite(type(), src, srcOffset, blocks * QK);
        KQuantScratch s = KQuantScratch.get();
        for (int i = 0; i < blocks; i++) {
            quantizeBlock(src, srcOffset + i * QK, s, 15, -1f, 0.1f, 20);
            byte[] out = s.block;
            byte[] levels = s.levels;
            for (int j = 0; j < QK; j += 64) {
                for (int l = 0; l < 32; l++) {
                    out[16 + j / 2 + l] = (byte) (levels[j + l] | (levels[j + l + 32] << 4));
                }
            }
            MemorySegment.copy(out, 0, dst, LittleEndian.BYTE, dstOffset + (long) i * BYTES, BYTES);
        }
    }

    /**
     * The shared first half of the Q4_K and Q5_K reference quantizers: fits the eight sub-blocks,
     * writes d, dmin and the packed scales to {@code s.block[0..16)} and the final levels (0..nmax)
     * to {@code s.levels}.
     */
    static void quantizeBlock(float[] x, int xo, KQuantScratch s, int nmax, float rmin, float rdelta, int nstep) {
        float maxScale = 0;
        float maxMin = 0;
        for (int j = 0; j < 8; j++) {
            float sumX2 = 0;
            for (int l = 0; l < 32; l++) {
                float v = x[xo + 32 * j + l];
                sumX2 += v * v;
            }
            float avX = KQuantFit.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; l++) {
                s.weights[l] = avX + Math.abs(x[xo + 32 * j + l]);
            }
            s.scales[j] = KQuantFit.makeQkx2Quants(32, nmax, x, xo + 32 * j, s.weights, s.levels, 32 * j, s.mins, j,
                    s.levelsAux, rmin, rdelta, nstep, false);
            if (s.scales[j] > maxScale) {
                maxScale = s.scales[j];
            }
            if (s.mins[j] > maxMin) {
                maxMin = s.mins[j];
            }
        }
        float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
        float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
        for (int j = 0; j < 8; j++) {
            s.scaleLevels[j] = Math.min(63, KQuantFit.nearestInt(invScale * s.scales[j]) & 0xFF);
            s.minLevels[j] = Math.min(63, KQuantFit.nearestInt(invMin * s.mins[j]) & 0xFF);
        }
        byte[] out = s.block;
        Arrays.fill(out, (byte) 0);
        short d = Fp16.fromFloat(maxScale / 63.f);
        short dmin = Fp16.fromFloat(maxMin / 63.f);
        out[0] = (byte) d;
        out[1] = (byte) (d >>> 8);
        out[2] = (byte) dmin;
        out[3] = (byte) (dmin >>> 8);
        KQuantScales.pack(s.scaleLevels, s.minLevels, s.levelsAux);
        System.arraycopy(s.levelsAux, 0, out, 4, KQuantScales.PACKED_BYTES);
        float df = Fp16.toFloat(d);
        float dminf = Fp16.toFloat(dmin);
        for (int j = 0; j < 8; j++) {
            float dj = df * s.scaleLevels[j];
            if (dj == 0) {
                continue;
            }
            float dm = dminf * s.minLevels[j];
            for (int ii = 0; ii < 32; ii++) {
                int l = KQuantFit.nearestInt((x[xo + 32 * j + ii] + dm) / dj);
                s.levels[32 * j + ii] = (byte) Math.max(0, Math.min(nmax, l));
            }
        }
    }
}
