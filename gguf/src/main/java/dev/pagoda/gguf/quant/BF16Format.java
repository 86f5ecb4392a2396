package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/** BF16: the upper 16 bits of a float32, little-endian. */
public final class BF16Format implements QuantFormat {
    public static final BF16Format INSTANCE = new BF16Format();

    private BF16Format() {}

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    public void dequantizeScalar(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            dst[dstOffset + i] = Bf16.toFloat(src.get(LittleEndian.SHORT, srcOffset + 2L * i));
        }
    }

    /** ggml's {@code ggml_fp32_to_bf16_row_ref}. */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            dst.set(LittleEndian.SHORT, dstOffset + 2L * i, Bf16.fromFloat(src[srcOffset + i]));
        }
    }
}
