package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q5_0 (ggml {@code block_q5_0}, 22 bytes / 32 values): f16 {@code d} at 0, {@code qh} (uint32 LE,
 * bit j = fifth bit of element j) at 2, {@code qs[16]} at 6 (nibble order as Q4_0); value = (q−16)·d.
 */
public final class Q5_0Format implements QuantFormat {
    public static final Q5_0Format INSTANCE = new Q5_0Format();
    static final int QK = 32;
    static final int BYTES = 22;

    private Q5_0Format() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q5_0;
    }

    @Override
    public void dequantizeScalar(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * BYTES;
            float d = Fp16.read(src, b);
            int qh = src.get(LittleEndian.INT, b + 2);
            int y = dstOffset + i * QK;
            for (int j = 0; j < QK / 2; j++) {
                int q = src.get(LittleEndian.BYTE, b + 6 + j) & 0xFF;
                int h0 = ((qh >>> j) << 4) & 0x10;
                int h1 = (qh >>> (j + 12)) & 0x10;
                dst[y + j] = (((q & 0x0F) | h0) - 16) * d;
                dst[y + j + QK / 2] = (((q >>> 4) | h1) - 16) * d;
            }
        }
    }

    /** ggml's {@code quantize_row_q5_0_ref}: d = (value of largest magnitude)/−16. */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int blocks) {
        QuantFormat.requireFinite(type(), src, srcOffset, blocks * QK);
        for (int i = 0; i < blocks; i++) {
            int x = srcOffset + i * QK;
            long b = dstOffset + (long) i * BYTES;
            float amax = 0;
            float max = 0;
            for (int j = 0; j < QK; j++) {
                float v = src[x + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -16;
            float id = d != 0 ? 1.0f / d : 0.0f;
            dst.set(LittleEndian.SHORT, b, Fp16.fromFloat(d));
            int qh = 0;
            for (int j = 0; j < QK / 2; j++) {
                int q0 = Math.min(31, (byte) (int) (src[x + j] * id + 16.5f)) & 0xFF;
                int q1 = Math.min(31, (byte) (int) (src[x + QK / 2 + j] * id + 16.5f)) & 0xFF;
                dst.set(LittleEndian.BYTE, b + 6 + j, (byte) ((q0 & 0x0F) | ((q1 & 0x0F) << 4)));
                qh |= ((q0 & 0x10) >>> 4) << j;
                qh |= ((q1 & 0x10) >>> 4) << (j + QK / 2);
            }
            dst.set(LittleEndian.INT, b + 2, qh);
        }
    }
}
