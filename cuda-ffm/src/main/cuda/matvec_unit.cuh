// The 32-element unit matvec kernel body (every format but q4_K): a block of MATVEC_WARPS warps, one
// row per warp at a time, rows strided over the grid so that each block loads x into shared memory
// once. Each lane dots 32-element units of its row (16-byte loads where the format's alignment allows)
// with x. Shared x is padded by 4 floats per 32 so that the lanes' float4 reads of consecutive units fall
// in different banks; formats that ask for them (q6_K) also get x's per-16 sums after it.
#pragma once
#include "programmatic_launch.cuh"
#include "quant.cuh"
#include "matvec_stage.cuh"
#include "matvec_rows.cuh"

#define MATVEC_WARPS 8

// A format of quant.cuh whose unit decodes to 32 floats, dotted with x after decoding.
template <typename W>
struct DecodedUnit {
    static constexpr bool SUMS = false;

    __device__ __forceinline__ static float dot(const uint8_t* row, int u, const float* xu, const float*, float acc) {
        float v[32];
        W::unit(row, u, v);
        const float4* xv = reinterpret_cast<const float4*>(xu);
#pragma unroll
        for (int i = 0; i < 8; i++) {
            const float4 xx = xv[i];
            acc = fmaf(v[4 * i], xx.x, acc);
            acc = fmaf(v[4 * i + 1], xx.y, acc);
            acc = fmaf(v[4 * i + 2], xx.z, acc);
            acc = fmaf(v[4 * i + 3], xx.w, acc);
        }
        return acc;
    }
};

// W's rows and y come from `matrices` (matvec_rows.cuh), x from `source` (matvec_stage.cuh).
template <typename U, typename M, typename X>
__device__ __forceinline__ void matvec_units(const M& matrices, const X& source, int rows, int cols) {
    pdl_begin();
    extern __shared__ float4 shared4[];
    float* xs = reinterpret_cast<float*>(shared4);
    float* sums = xs + (cols >> 5) * 36;
    stage_x(source, xs, cols, [](int k) { return k + (k >> 5) * 4; });
    __syncthreads();
    if (U::SUMS) {
        for (int g = threadIdx.x; g < cols / 16; g += blockDim.x) {
            const float* run = xs + 16 * g + (g >> 1) * 4;
            float s = 0.0f;
#pragma unroll
            for (int i = 0; i < 16; i++) s += run[i];
            sums[g] = s;
        }
        __syncthreads();
    }
    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE;
    const int units = cols >> 5;
    for (int row = blockIdx.x * MATVEC_WARPS + warp; row < rows; row += gridDim.x * MATVEC_WARPS) {
        const uint8_t* r = matrices.row(row);
        float acc = 0.0f;
#pragma unroll 2
        for (int u = lane; u < units; u += WARP_SIZE) {
            acc = U::dot(r, u, xs + u * 36, sums + 2 * u, acc);
        }
        acc = warp_sum(acc);
        if (lane == 0) matrices.store(row, acc);
    }
}
