// One rotated pair of RoPE "NORM" mode (adjacent elements 2i, 2i+1 of a head, angle pos * base^(-2i/headDim),
// divided by freqFactors[i] when given: Llama 3.1 rope scaling). rope.cu, decode_fused.cu's rope_qk_store,
// attention_decode.cu's attention_decode_step and the q/k/v ring launch's store (qkv_cache_store.cuh) all rotate
// through these functions, so the fused and unfused decode steps give the same bits. The products and the difference are rounded one at a time (__fmul_rn, no
// fused multiply-add): the compiler may not contract them one way in one kernel and another way in the next,
// and float CPU code (LlamaGraph) rounds them the same way.
#pragma once

// The sine and cosine of pair i's angle: a kernel that rotates several heads at one position computes them once
// per pair (the same bits as computing them per head).
__device__ __forceinline__ void rope_angle(float pos, int i, int headDim, const float* freqFactors, float base, float& s,
                                           float& c) {
    float invFreq = powf(base, -2.0f * (float) i / (float) headDim);
    if (freqFactors != nullptr) invFreq /= freqFactors[i];
    sincosf(pos * invFreq, &s, &c);
}

__device__ __forceinline__ void rope_apply(float a, float b, float s, float c, float& x0, float& x1) {
    x0 = __fsub_rn(__fmul_rn(a, c), __fmul_rn(b, s));
    x1 = __fadd_rn(__fmul_rn(a, s), __fmul_rn(b, c));
}

__device__ __forceinline__ void rope_rotate(float a, float b, float pos, int i, int headDim, const float* freqFactors,
                                            float base, float& x0, float& x1) {
    float s, c;
    rope_angle(pos, i, headDim, freqFactors, base, s, c);
    rope_apply(a, b, s, c, x0, x1);
}
