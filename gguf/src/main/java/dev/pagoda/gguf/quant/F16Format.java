package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * F16: little-endian IEEE binary16. The scalar loop is also the fast path: C2 compiles
 * {@link Float#float16ToFloat} to {@code vcvtph2ps} and vectorizes the loop itself.
 */
public final class F16Format implements QuantFormat {
    public static final F16Format INSTANCE = new F16Format();

    private F16Format() {}

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public void dequantizeScalar(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            dst[dstOffset + i] = Float.float16ToFloat(src.get(LittleEndian.SHORT, srcOffset + 2L * i));
        }
    }

    /** ggml's {@code ggml_fp32_to_fp16_row}: round to nearest even per value. */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            dst.set(LittleEndian.SHORT, dstOffset + 2L * i, Fp16.fromFloat(src[srcOffset + i]));
        }
    }
}
