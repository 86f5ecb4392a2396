// SwiGLU: out[i] = silu(gate[i]) * up[i], silu(g) = g / (1 + e^-g).
#include "common.cuh"
#include "programmatic_launch.cuh"
#include "silu.cuh"

extern "C" __global__ void swiglu(const float* __restrict__ gate, const float* __restrict__ up, float* __restrict__ out,
                                  long long n) {
    pdl_begin();
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        out[i] = silu_times(gate[i], up[i]);
    }
}
