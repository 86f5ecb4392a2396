// Softmax over each row of [rows][n] float32, in place or out of place. One block per row.
#include "common.cuh"
#include "programmatic_launch.cuh"

extern "C" __global__ void softmax(const float* x, float* out, int n) {
    pdl_begin();
    __shared__ float scratch[32];
    const float* row = x + (size_t) blockIdx.x * n;
    float* dst = out + (size_t) blockIdx.x * n;
    float m = -INFINITY;
    for (int i = threadIdx.x; i < n; i += blockDim.x) m = fmaxf(m, row[i]);
    m = block_max(m, scratch);
    float sum = 0.0f;
    for (int i = threadIdx.x; i < n; i += blockDim.x) sum += expf(row[i] - m);
    sum = block_sum(sum, scratch);
    const float inv = 1.0f / sum;
    for (int i = threadIdx.x; i < n; i += blockDim.x) dst[i] = expf(row[i] - m) * inv;
}
