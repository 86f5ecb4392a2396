package dev.pagoda.gguf.quant;

/**
 * bfloat16 conversions matching ggml's {@code ggml_compute_bf16_to_fp32} and
 * {@code ggml_compute_fp32_to_bf16}: bf16 is the upper half of a float32; rounding adds
 * {@code 0x7FFF} plus the lowest kept bit (round to nearest, ties to even) and a NaN keeps its upper
 * bits with the quiet bit forced on.
 */
public final class Bf16 {
    private Bf16() {}

    /** The float32 value of the bf16 bit pattern {@code bits}. */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** The bf16 bit pattern nearest to {@code value}, rounded as ggml rounds. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((bits >>> 16) | 64);
        }
        return (short) ((bits + (0x7FFF + ((bits >>> 16) & 1))) >>> 16);
    }
}
