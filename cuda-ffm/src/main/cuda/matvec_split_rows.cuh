// The row loop shared by the unit kernels whose rows may be split over warps (matvec_q6k_units,
// matvec_x8_units): ksplit warps share each row, warp slice s taking the 32-unit chunks s, s + ksplit, …
// of it; the slices' sums meet in `partial` (one float per warp, in shared memory) and one thread per row
// stores the total. ksplit divides WARPS. `dot(row, u, acc)` adds unit u of a row to acc, against x as
// the kernel staged it.
#pragma once
#include "common.cuh"

template <int WARPS, typename M, typename Dot>
__device__ __forceinline__ void matvec_split_rows(const M& matrices, int rows, int units, int ksplit, float* partial,
                                                  Dot dot) {
    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE;
    const int slice = warp % ksplit, rowsPerBlock = WARPS / ksplit;
    for (int first = blockIdx.x * rowsPerBlock; first < rows; first += gridDim.x * rowsPerBlock) {
        const int row = first + warp / ksplit;
        float acc = 0.0f;
        if (row < rows) {
            const uint8_t* r = matrices.row(row);
#pragma unroll 2
            for (int u = lane + WARP_SIZE * slice; u < units; u += WARP_SIZE * ksplit) acc = dot(r, u, acc);
        }
        acc = warp_sum(acc);
        if (ksplit == 1) {
            if (lane == 0 && row < rows) matrices.store(row, acc);
        } else {
            if (lane == 0) partial[warp] = acc;
            __syncthreads();
            if (threadIdx.x < rowsPerBlock && first + threadIdx.x < rows) {
                float v = 0.0f;
                for (int s = 0; s < ksplit; s++) v += partial[threadIdx.x * ksplit + s];
                matrices.store(first + threadIdx.x, v);
            }
            __syncthreads();
        }
    }
}
