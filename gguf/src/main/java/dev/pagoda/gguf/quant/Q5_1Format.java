package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q5_1 (ggml {@code block_q5_1}, 24 bytes / 32 values): f16 {@code d} at 0, f16 {@code m} at 2,
 * {@code qh} (uint32 LE) at 4, {@code qs[16]} at 8; value = q·d + m.
 */
public final class Q5_1Format implements QuantFormat {
    public static final Q5_1Format INSTANCE = new Q5_1Format();
    static final int QK = 32;
    static final int BYTES = 24;

    private Q5_1Format() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q5_1;
    }

    @Override
    public void dequantizeScalar(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * BYTES;
            float d = Fp16.read(src, b);
            float m = Fp16.read(src, b + 2);
            int qh = src.get(LittleEndian.INT, b + 4);
            int y = dstOffset + i * QK;
            for (int j = 0; j < QK / 2; j++) {
                int q = src.get(LittleEndian.BYTE, b + 8 + j) & 0xFF;
                int h0 = ((qh >>> j) << 4) & 0x10;
                int h1 = (qh >>> (j + 12)) & 0x10;
                dst[y + j] = ((q & 0x0F) | h0) * d + m;
                dst[y + j + QK / 2] = ((q >>> 4) | h1) * d + m;
            }
        }
    }

    /** ggml's {@code quantize_row_q5_1_ref}: d = (max − min)/31, m = min. */
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
            float d = (max - min) / 31;
            float id = d != 0 ? 1.0f / d : 0.0f;
            dst.set(LittleEndian.SHORT, b, Fp16.fromFloat(d));
            dst.set(LittleEndian.SHORT, b + 2, Fp16.fromFloat(min));
            int qh = 0;
            for (int j = 0; j < QK / 2; j++) {
                int q0 = ((int) ((src[x + j] - min) * id + 0.5f)) & 0xFF;
                int q1 = ((int) ((src[x + QK / 2 + j] - min) * id + 0.5f)) & 0xFF;
                dst.set(LittleEndian.BYTE, b + 8 + j, (byte) ((q0 & 0x0F) | ((q1 & 0x0F) << 4)));
                qh |= ((q0 & 0x10) >>> 4) << j;
                qh |= ((q1 & 0x10) >>> 4) << (j + QK / 2);
            }
            dst.set(LittleEndian.INT, b + 4, qh);
        }
    }
}
