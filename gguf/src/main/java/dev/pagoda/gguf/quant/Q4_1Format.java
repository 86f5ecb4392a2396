package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q4_1 (ggml {@code block_q4_1}, 20 bytes / 32 values): f16 {@code d} at 0, f16 {@code m} at 2,
 * {@code qs[16]} at 4 (nibble order as Q4_0); value = q·d + m.
 */
public final class Q4_1Format implements QuantFormat {
    public static final Q4_1Format INSTANCE = new Q4_1Format();
    static final int QK = 32;
    static final int BYTES = 20;

    private Q4_1Format() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q4_1;
    }

    @Override
    public void dequantizeScalar(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * BYTES;
            float d = Fp16.read(src, b);
            float m = Fp16.read(src, b + 2);
            int y = dstOffset + i * QK;
            for (int j = 0; j < QK / 2; j++) {
                int q = src.get(LittleEndian.BYTE, b + 4 + j) & 0xFF;
                dst[y + j] = (q & 0x0F) * d + m;
                dst[y + j + QK / 2] = (q >>> 4) * d + m;
            }
        }
    }

    /** ggml's {@code quantize_row_q4_1_ref}: d = (max − min)/15, m = min. */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int blocks) {
        QuantFormat.requireFinite(type(), src, srcOffset, blocks * QK);
        for (int i = 0; i < blocks; i++) {
            int x = srcOffset + i * QK;
            long b = dstOffset + (long) i * BYTES;
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int j = 0; j < QK; j++) {
                float v = src[x + j];
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
            float d = (max - min) / 15;
            float id = d != 0 ? 1.0f / d : 0.0f;
            dst.set(LittleEndian.SHORT, b, Fp16.fromFloat(d));
            dst.set(LittleEndian.SHORT, b + 2, Fp16.fromFloat(min));
            for (int j = 0; j < QK / 2; j++) {
                int q0 = Math.min(15, (byte) (int) ((src[x + j] - min) * id + 0.5f));
                int q1 = Math.min(15, (byte) (int) ((src[x + QK / 2 + j] - min) * id + 0.5f));
                dst.set(LittleEndian.BYTE, b + 4 + j, (byte) (q0 | (q1 << 4)));
            }
        }
    }
}
