package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * One ggml block format: its scalar reference dequantizer (ggml's generic C {@code to_float},
 * reproduced operation for operation so results are bit-identical) and, for the types Pagoda writes,
 * ggml's reference quantizer. Block geometry comes from {@link #type()}.
 *
 * <p>Offsets and counts are not checked here; {@link GgmlType#dequantize} and
 * {@link GgmlType#quantize} check them and are the public entry points.
 */
public sealed interface QuantFormat
        permits F32Format, F16Format, BF16Format, Q4_0Format, Q4_1Format, Q5_0Format, Q5_1Format, Q8_0Format,
                Q2_KFormat, Q3_KFormat, Q4_KFormat, Q5_KFormat, Q6_KFormat {

    /** The ggml type this format implements. */
    GgmlType type();

    /** Dequantizes {@code blocks} whole blocks at {@code srcOffset} into {@code dst} from {@code dstOffset}. */
    void dequantizeScalar(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks);

    /** Whether {@link #quantize} is implemented. */
    default boolean canQuantize() {
        return true;
    }

    /**
     * Quantizes {@code blocks} whole blocks of {@code src} from {@code srcOffset} into {@code dst} at
     * {@code dstOffset} with ggml's reference algorithm (no importance matrix).
     *
     * @throws IllegalArgumentException if a value of a block format is NaN or infinite
     */
    void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int blocks);

    /**
     * The format of {@code type}.
     *
     * @throws UnsupportedGgmlTypeException if Pagoda cannot convert {@code type}
     */
    static QuantFormat of(GgmlType type) {
        return switch (type) {
            case F32 -> F32Format.INSTANCE;
            case F16 -> F16Format.INSTANCE;
            case BF16 -> BF16Format.INSTANCE;
            case Q4_0 -> Q4_0Format.INSTANCE;
            case Q4_1 -> Q4_1Format.INSTANCE;
            case Q5_0 -> Q5_0Format.INSTANCE;
            case Q5_1 -> Q5_1Format.INSTANCE;
            case Q8_0 -> Q8_0Format.INSTANCE;
            case Q2_K -> Q2_KFormat.INSTANCE;
            case Q3_K -> Q3_KFormat.INSTANCE;
            case Q4_K -> Q4_KFormat.INSTANCE;
            case Q5_K -> Q5_KFormat.INSTANCE;
            case Q6_K -> Q6_KFormat.INSTANCE;
            default -> throw new UnsupportedGgmlTypeException(type);
        };
    }

    /** Rejects a NaN or infinite value that ggml's quantizers would turn into garbage. */
    static void requireFinite(GgmlType type, float[] src, int offset, int count) {
        for (int i = 0; i < count; i++) {
            if (!Float.isFinite(src[offset + i])) {
                throw new IllegalArgumentException("quantize " + type.name() + ": element " + (offset + i) + " is "
                        + src[offset + i] + "; only finite values can be quantized");
            }
        }
    }
}
