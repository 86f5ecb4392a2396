// On-device argmax of n float32 values into one int32 (greedy sampling without copying the logits).
// One block; ties go to the lowest index; NaN never wins.
#include "common.cuh"
#include "programmatic_launch.cuh"

extern "C" __global__ void argmax(const float* __restrict__ x, int* __restrict__ out, int n) {
    pdl_begin();
    __shared__ float bestValue[32];
    __shared__ int bestIndex[32];
    float v = -INFINITY;
    int idx = n;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        const float xi = x[i];
        if (xi > v || (idx == n && xi == v)) {
            v = xi;
            idx = i;
        }
    }
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) {
        const float ov = __shfl_xor_sync(0xffffffffu, v, offset);
        const int oi = __shfl_xor_sync(0xffffffffu, idx, offset);
        if (ov > v || (ov == v && oi < idx)) {
            v = ov;
            idx = oi;
        }
    }
    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE;
    if (lane == 0) {
        bestValue[warp] = v;
        bestIndex[warp] = idx;
    }
    __syncthreads();
    if (warp == 0) {
        const int warps = blockDim.x / WARP_SIZE;
        v = lane < warps ? bestValue[lane] : -INFINITY;
        idx = lane < warps ? bestIndex[lane] : n;
#pragma unroll
        for (int offset = 16; offset > 0; offset >>= 1) {
            const float ov = __shfl_xor_sync(0xffffffffu, v, offset);
            const int oi = __shfl_xor_sync(0xffffffffu, idx, offset);
            if (ov > v || (ov == v && oi < idx)) {
                v = ov;
                idx = oi;
            }
        }
        if (lane == 0) out[0] = idx < n ? idx : 0;
    }
}
