// Copies x into a block's shared memory for the matvec kernels. A plain per-element loop issues one
// global load per iteration and waits for it before the next (about 16 round trips to L2 for 4096
// columns, 56 for 14336: microseconds before any weight is read); here every thread issues all of its
// 16-byte loads of a pass before storing any, so a pass costs one round trip.
//
// The vector staged is given by a source: x itself, or silu(gate) * up computed on the way in, so that
// the FFN's down projection needs no separate SwiGLU launch (same float operations as swiglu.cu).
#pragma once
#include "common.cuh"
#include "silu.cuh"

#define MATVEC_STAGE_UNROLL 4

// x as it is in global memory.
struct PlainX {
    const float* x;
    typedef float4 Raw;

    __device__ __forceinline__ Raw fetch(int quad) const { return __ldg(reinterpret_cast<const float4*>(x) + quad); }
    __device__ __forceinline__ static float4 value(const Raw& r) { return r; }
};

// silu(gate[k]) * up[k], silu(g) = g / (1 + e^-g), as swiglu.cu computes it.
struct SwiGluX {
    const float* gate;
    const float* up;
    struct Raw {
        float4 g, u;
    };

    __device__ __forceinline__ Raw fetch(int quad) const {
        return {__ldg(reinterpret_cast<const float4*>(gate) + quad), __ldg(reinterpret_cast<const float4*>(up) + quad)};
    }
    __device__ __forceinline__ static float4 value(const Raw& r) {
        return make_float4(silu_times(r.g.x, r.u.x), silu_times(r.g.y, r.u.y), silu_times(r.g.z, r.u.z),
                           silu_times(r.g.w, r.u.w));
    }
};

// slot(k) gives x[k]'s place in shared memory; it must keep each aligned group of 4 contiguous.
// cols is a multiple of 32 and the source's vectors are 16-byte aligned.
template <typename X, typename Slot>
__device__ __forceinline__ void stage_x(const X& source, float* xs, int cols, Slot slot) {
    const int quads = cols >> 2;
    for (int first = threadIdx.x; first < quads; first += blockDim.x * MATVEC_STAGE_UNROLL) {
        typename X::Raw v[MATVEC_STAGE_UNROLL];
#pragma unroll
        for (int i = 0; i < MATVEC_STAGE_UNROLL; i++) {
            const int q = first + i * blockDim.x;
            if (q < quads) v[i] = source.fetch(q);
        }
#pragma unroll
        for (int i = 0; i < MATVEC_STAGE_UNROLL; i++) {
            const int q = first + i * blockDim.x;
            if (q < quads) *reinterpret_cast<float4*>(xs + slot(4 * q)) = X::value(v[i]);
        }
    }
}
