// The decode matvec for float rows (f32, f16, bf16) of any width: where the width is not a multiple of
// 32 the 32-element units of matvec_unit.cuh do not tile a row and rows are not 16-byte aligned, so
// here x is staged into shared memory element by element and each warp dots one row at a time, lane l
// taking elements l, l + 32, ..., every weight load exactly one element of the row (W::element of
// quant.cuh): nothing past a row's end, or the matrix's, is ever read. Rows come from the matrices of
// matvec_rows.cuh, x from a source below (plain, or silu(gate) * up as matvec_stage.cuh's SwiGluX).
#pragma once
#include "programmatic_launch.cuh"
#include "common.cuh"
#include "matvec_rows.cuh"
#include "matvec_stage.cuh"

struct PlainElements {
    const float* x;
    __device__ __forceinline__ float at(int k) const { return x[k]; }
};

struct SwiGluElements {
    const float* gate;
    const float* up;
    __device__ __forceinline__ float at(int k) const { return silu_times(gate[k], up[k]); }
};

// Shared memory: cols floats.
template <typename W, typename M, typename X>
__device__ __forceinline__ void matvec_any_width(const M& matrices, const X& source, int rows, int cols) {
    pdl_begin();
    extern __shared__ float4 shared4[];
    float* xs = reinterpret_cast<float*>(shared4);
    for (int k = threadIdx.x; k < cols; k += blockDim.x) xs[k] = source.at(k);
    __syncthreads();
    const int lane = threadIdx.x % WARP_SIZE, warps = blockDim.x / WARP_SIZE;
    for (int row = blockIdx.x * warps + threadIdx.x / WARP_SIZE; row < rows; row += gridDim.x * warps) {
        const uint8_t* r = matrices.row(row);
        float acc = 0.0f;
#pragma unroll 4
        for (int k = lane; k < cols; k += WARP_SIZE) acc = fmaf(W::element(r, k), xs[k], acc);
        acc = warp_sum(acc);
        if (lane == 0) matrices.store(row, acc);
    }
}
