package dev.pagoda.gguf.quant;

import java.lang.foreign.MemorySegment;

/**
 * IEEE binary16 ("f16", ggml's {@code ggml_half}) conversions, matching ggml bit for bit.
 *
 * <p>f16 to f32 is exact. f32 to f16 rounds to nearest, ties to even, like ggml's
 * {@code ggml_compute_fp32_to_fp16} (and F16C's {@code vcvtps2ph} with rounding mode 0); overflow
 * gives infinity, and every NaN becomes the quiet NaN {@code 0x7E00} with the input's sign, as in
 * ggml's portable conversion.
 */
public final class Fp16 {
    private Fp16() {}

    /** The float32 value of the f16 bit pattern {@code bits}. */
    public static float toFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** The f16 bit pattern nearest to {@code value}. */
    public static short fromFloat(float value) {
        if (Float.isNaN(value)) {
            return (short) (((Float.floatToRawIntBits(value) >>> 16) & 0x8000) | 0x7E00);
        }
        return Float.floatToFloat16(value);
    }

    /** Reads the little-endian f16 at {@code offset} of {@code segment} as float32. */
    public static float read(MemorySegment segment, long offset) {
        return Float.float16ToFloat(segment.get(LittleEndian.SHORT, offset));
    }
}
