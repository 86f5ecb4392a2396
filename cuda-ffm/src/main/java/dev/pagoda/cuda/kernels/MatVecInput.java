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
    INT8;

    /** Whether weights of {@code type} run the int8-x kernels under this input. */
    public boolean quantizes(WeightType type) {
        return this == INT8 && (type == WeightType.Q4_0 || type == WeightType.Q8_0 || type == WeightType.Q4_K
                || type == WeightType.Q6_K);
    }
}
