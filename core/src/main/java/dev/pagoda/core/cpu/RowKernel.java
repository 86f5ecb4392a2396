package dev.pagoda.core.cpu;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Reads rows of one ggml weight format straight from their (mapped) bytes.
 *
 * <p>Every implementation offers a Vector API {@link #dot} and, beside it, a plain scalar
 * {@link #dotScalar} that is the reference the fast one is tested against. Both compute in
 * float32 on the dequantized weights: activations are never quantized (unlike ggml's CPU
 * backend, which rounds them to q8_0 / q8_K first), so results are closer to exact math than
 * llama.cpp's.
 *
 * <p>{@code offset} is the byte offset of the row's first block in {@code w}; {@code n} is the
 * number of elements, a whole number of blocks. Implementations are stateless and thread-safe.
 */
public sealed interface RowKernel
        permits F32Kernel, F16Kernel, Bf16Kernel, Q4_0Kernel, Q8_0Kernel, Q4_KKernel, Q5_KKernel, Q6_KKernel,
                BlockDequantKernel {

    /** The ggml format this kernel reads. */
    GgmlType type();

    /** Σ w[i]·x[xOff+i] for i &lt; n, using the Vector API. */
    float dot(MemorySegment w, long offset, float[] x, int xOff, int n);

    /**
     * The scalar reference for {@link #dot}: same sum, one element at a time. By default each block is dequantized by
     * {@link #dequantizeRow} and its products summed in order (the K-quant kernels); formats with a closed-form
     * element override it.
     */
    default float dotScalar(MemorySegment w, long offset, float[] x, int xOff, int n) {
        int block = type().blockSize();
        float[] row = new float[block];
        float sum = 0;
        for (int b = 0; b < n / block; b++) {
            dequantizeRow(w, offset + type().byteSize((long) b * block), row, 0, block);
            for (int i = 0; i < block; i++) {
                sum += row[i] * x[xOff + b * block + i];
            }
        }
        return sum;
    }

    /** Writes the n dequantized values of the row to out[outOff..]. */
    void dequantizeRow(MemorySegment w, long offset, float[] out, int outOff, int n);

    /** The kernel for {@code type}, or an exception naming the unsupported type. */
    static RowKernel of(GgmlType type) {
        return switch (type) {
            case F32 -> F32Kernel.INSTANCE;
            case F16 -> F16Kernel.INSTANCE;
            case BF16 -> Bf16Kernel.INSTANCE;
            case Q4_0 -> Q4_0Kernel.INSTANCE;
            case Q8_0 -> Q8_0Kernel.INSTANCE;
            case Q4_K -> Q4_KKernel.INSTANCE;
            case Q5_K -> Q5_KKernel.INSTANCE;
            case Q6_K -> Q6_KKernel.INSTANCE;
            case Q4_1 -> BlockDequantKernel.Q4_1;
            case Q5_0 -> BlockDequantKernel.Q5_0;
            case Q5_1 -> BlockDequantKernel.Q5_1;
            case Q2_K -> BlockDequantKernel.Q2_K;
            case Q3_K -> BlockDequantKernel.Q3_K;
            default -> throw new UnsupportedOperationException(
                    "no CPU kernel for weight type " + type + " (supported: " + supportedNames() + ")");
        };
    }

    /** The types {@link #of} has kernels for, comma-separated in GGUF type-id order: for messages. */
    static String supportedNames() {
        return java.util.Arrays.stream(GgmlType.values()).filter(RowKernel::supports).map(GgmlType::name)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Whether {@link #of} has a kernel for {@code type}. */
    static boolean supports(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K -> true;
            default -> false;
        };
    }
}
