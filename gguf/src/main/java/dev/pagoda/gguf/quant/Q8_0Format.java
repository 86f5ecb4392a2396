package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q8_0 (ggml {@code block_q8_0}, 34 bytes / 32 values): f16 {@code d} at 0, int8 {@code qs[32]} at 2;
 * value = q·d.
 */
public final class Q8_0Format implements QuantFormat {
    public static final Q8_0Format INSTANCE = new Q8_0Format();
    static final int QK = 32;
    static final int BYTES = 34;

    private Q8_0Format() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public void dequantizeScalar(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * BYTES;
            float d = Fp16.read(src, b);
            int y = dstOffset + i * QK;
            for (int j = 0; j < QK; j++) {
                dst[y + j] = src.get(LittleEndian.BYTE, b + 2 + j) * d;
            }
        }
    }

    /** ggml's {@code quantize_row_q8_0_ref}: d = amax/127, q = roundf(x/d) (half away from zero). */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int blocks) {
        QuantFormat.requireFinite(type(), src, srcOffset, blocks * QK);
        for (int i = 0; i < blocks; i++) {
            int x = srcOffset + i * QK;
            long b = dstOffset + (long) i * BYTES;
            float amax = 0;
            for (int j = 0; j < QK; j++) {
                amax = Math.max(amax, Math.abs(src[x + j]));
            }
            float d = amax / 127;
            float id = d != 0 ? 1.0f / d : 0.0f;
            dst.set(LittleEndian.SHORT, b, Fp16.fromFloat(d));
            for (int j = 0; j < QK; j++) {
                dst.set(LittleEndian.BYTE, b + 2 + j, (byte) roundHalfAway(src[x + j] * id));
            }
        }
    }

    /** C's {@code roundf}: nearest integer, halfway cases away from zero (exact in double). */
    static int roundHalfAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }
}
