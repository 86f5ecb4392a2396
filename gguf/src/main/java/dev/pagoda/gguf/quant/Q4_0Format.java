package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q4_0 (ggml {@code block_q4_0}, 18 bytes / 32 values): f16 {@code d} at 0, {@code qs[16]} at 2.
 * Element j (0..15) is the low nibble of qs[j], element j+16 the high nibble; value = (q−8)·d.
 */
public final class Q4_0Format implements QuantFormat {
    public static final Q4_0Format INSTANCE = new Q4_0Format();
    static final int QK = 32;
    static final int BYTES = 18;

    private Q4_0Format() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public void dequantizeScalar(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * BYTES;
            float d = Fp16.read(src, b);
            int y = dstOffset + i * QK;
            for (int j = 0; j < QK / 2; j++) {
                int q = src.get(LittleEndian.BYTE, b + 2 + j) & 0xFF;
                dst[y + j] = ((q & 0x0F) - 8) * d;
                dst[y + j + QK / 2] = ((q >>> 4) - 8) * d;
            }
        }
    }

    /** ggml's {@code quantize_row_q4_0_ref}: d = (value of largest magnitude)/−8. */
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
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            dst.set(LittleEndian.SHORT, b, Fp16.fromFloat(d));
            for (int j = 0; j < QK / 2; j++) {
                int q0 = Math.min(15, (byte) (int) (src[x + j] * id + 8.5f));
                int q1 = Math.min(15, (byte) (int) (src[x + QK / 2 + j] * id + 8.5f));
                dst.set(LittleEndian.BYTE, b + 2 + j, (byte) (q0 | (q1 << 4)));
            }
        }
    }
}
