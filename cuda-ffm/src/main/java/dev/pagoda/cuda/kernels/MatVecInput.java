package dev.pagoda.cuda.kernels;

/**
 * How the decode matrix-vector kernels ({@link MatVec}, {@link FusedMatVec}) take their input vector.
 * The choice trades a little accuracy for instruction count: with float32 x a Q4_K weight costs about 3.6
 * instructions (unpack, convert, multiply-add), enough to make the kernel issue-bound near 55 % of the
 * memory bound; with int8 x four weights cost one {@code dp4a} and a mask.
 */
public enum MatVecInput {
    /** x as float32, products in float32: agrees with the CPU engine to about 1e-6 relative. */
    FLOAT32,
    /**
     * x quantized to int8 per aligned 32 elements (scale max|x| / 127, ggml's q8_1 idea, as llama.cpp's CUDA
     * decode does) and integer dot products ({@code matvec_x8_stage.cuh}), for Q4_0, Q8_0, Q4_K and Q6_K
     * weights; the other formats keep float32 x. Each product lands about 1e-3 (relative L2) from the float
     * one, so whole-model logits move from exact math about as far as llama.cpp's do (a cosine near 0.9998
     * rather than 0.99999): an opt-in for speed, not the default.
     */
    INT8,
    /**
     * x quantized to 16 bits per aligned 32 elements (scale max|x| / 32639), held as two int8 levels, high and
     * low byte, so the same kernels take two {@code dp4a} per four weights ({@code matvec_x16_<type>}), for
     * the formats {@link #INT8} covers. x^ lands 257 times closer to x than with int8: whole-model logits
     * agree with the float32 path to a cosine of ~1 - 1e-8, while the products stay integer.
     */
    INT16;

    /** Whether weights of {@code type} run the integer-x kernels under this input. */
    public boolean quantizes(WeightType type) {
        return this != FLOAT32 && (type == WeightType.Q4_0 || type == WeightType.Q8_0 || type == WeightType.Q4_K
                || type == WeightType.Q6_K);
    }

    /** The kernel-name infix of the integer-x kernels ({@code matvec_x8_q4_k}, {@code matvec_rows3_x16_q6_k}). */
    String kernelInfix() {
        return switch (this) {
            case FLOAT32 -> throw new IllegalStateException("float32 x has no integer-x kernels");
            case INT8 -> "x8_";
            case INT16 -> "x16_";
        };
    }

    /** Shared bytes of x's records per 32 columns (matvec_x8_stage.cuh): 48 for one int8 level, 80 for two. */
    public int recordBytes() {
        return switch (this) {
            case FLOAT32 -> throw new IllegalStateException("float32 x has no records");
            case INT8 -> 48;
            case INT16 -> 80;
        };
    }

    /** Bytes of the records of {@code cols} values of x (a multiple of 32): {@link #recordBytes} per 32. */
    public long recordsBytes(long cols) {
        return cols / 32 * recordBytes();
    }
}
