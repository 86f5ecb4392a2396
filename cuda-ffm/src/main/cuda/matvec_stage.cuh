// Copies x into a block's shared memory for the matvec kernels. A plain per-element loop issues one
// global load per iteration and waits for it before the next (about 16 round trips to L2 for 4096
// columns, 56 for 14336: microseconds before any weight is read); here every thread issues all of its
// 16-byte loads of a pass before storing any, so a pass costs one round trip.
#pragma once
#include "common.cuh"

#define MATVEC_STAGE_UNROLL 4

// slot(k) gives x[k]'s place in shared memory; it must keep each aligned group of 4 contiguous.
// cols is a multiple of 32 and x is 16-byte aligned.
template <typename Slot>
__device__ __forceinline__ void stage_x(const float* __restrict__ x, float* xs, int cols, Slot slot) {
    const float4* x4 = reinterpret_cast<const float4*>(x);
    const int quads = cols >> 2;
    for (int first = threadIdx.x; first < quads; first += blockDim.x * MATVEC_STAGE_UNROLL) {
        float4 v[MATVEC_STAGE_UNROLL];
#pragma unroll
        for (int i = 0; i < MATVEC_STAGE_UNROLL; i++) {
            const int q = first + i * blockDim.x;
            if (q < quads) v[i] = __ldg(x4 + q);
        }
#pragma unroll
        for (int i = 0; i < MATVEC_STAGE_UNROLL; i++) {
            const int q = first + i * blockDim.x;
            if (q < quads) *reinterpret_cast<float4*>(xs + slot(4 * q)) = v[i];
        }
    }
}
