package dev.pagoda.gguf.quant;

import java.util.function.Function;
import jdk.incubator.vector.FloatVector;

/**
 * The Vector API dequantizers, one per format; instantiated reflectively by {@link Dequantizers} so
 * that nothing here is loaded when module {@code jdk.incubator.vector} is absent.
 *
 * <p>Every kernel performs ggml's float operations (one multiply, then at most one add or subtract,
 * never fused) on exactly converted small integers, lane by lane, so its results are bit-identical
 * to the scalar reference. F32 is a copy and F16 relies on C2 vectorizing
 * {@link Float#float16ToFloat}, so both keep their scalar code.
 */
final class VectorDequantizers implements Function<QuantFormat, Dequantizer> {

    VectorDequantizers() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        if (lanes != 8 && lanes != 16) {
            throw new UnsupportedOperationException("the preferred float vector has " + lanes
                    + " lanes; the Vector API kernels need 8 or 16");
        }
    }

    @Override
    public Dequantizer apply(QuantFormat format) {
        return switch (format) {
            case F32Format f -> f::dequantizeScalar;
            case F16Format f -> f::dequantizeScalar;
            case BF16Format f -> BF16Vector::dequantize;
            case Q4_0Format f -> Q4_0Vector::dequantize;
            case Q4_1Format f -> Q4_1Vector::dequantize;
            case Q5_0Format f -> Q5_0Vector::dequantize;
            case Q5_1Format f -> Q5_1Vector::dequantize;
            case Q8_0Format f -> Q8_0Vector::dequantize;
            case Q2_KFormat f -> Q2_KVector::dequantize;
            case Q3_KFormat f -> Q3_KVector::dequantize;
            case Q4_KFormat f -> Q4_KVector::dequantize;
            case Q5_KFormat f -> Q5_KVector::dequantize;
            case Q6_KFormat f -> Q6_KVector::dequantize;
        };
    }
}
