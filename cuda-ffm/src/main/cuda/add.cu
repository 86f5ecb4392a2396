// Residual add: out[i] = a[i] + b[i] (out may be a or b).
#include "common.cuh"
#include "programmatic_launch.cuh"

extern "C" __global__ void add(const float* a, const float* b, float* out, long long n) {
    pdl_begin();
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        out[i] = a[i] + b[i];
    }
}
