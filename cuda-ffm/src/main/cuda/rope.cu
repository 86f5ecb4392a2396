// Rotary position embedding, llama "NORM" mode: the adjacent pairs (2i, 2i+1) of each head rotate by
// pos * base^(-2i/headDim), divided by freqFactors[i] when given (Llama 3.1 rope scaling), in place.
// x: [tokens][heads][headDim] float32; positions: int32 per token. One block per token.
#include "common.cuh"
#include "programmatic_launch.cuh"
#include "rope_pair.cuh"

extern "C" __global__ void rope_norm(float* __restrict__ x, const int* __restrict__ positions,
                                     const float* __restrict__ freqFactors, int heads, int headDim, float base) {
    pdl_begin();
    const int t = blockIdx.x;
    const float pos = (float) positions[t];
    const int half = headDim / 2;
    float* row = x + (size_t) t * heads * headDim;
    for (int idx = threadIdx.x; idx < heads * half; idx += blockDim.x) {
        const int h = idx / half, i = idx % half;
        float* p = row + h * headDim + 2 * i;
        rope_rotate(p[0], p[1], pos, i, headDim, freqFactors, base, p[0], p[1]);
    }
}
