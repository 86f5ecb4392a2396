// SwiGLU: out[i] = silu(gate[i]) * up[i], silu(g) = g / (1 + e^-g).
#include "common.cuh"
#include "programmatic_launch.cuh"
#include "silu.cuh"

__device__ __forceinline__ void swiglu_rows(const float* __restrict__ gate, const float* __restrict__ up,
                                            float* __restrict__ out, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        out[i] = silu_times(gate[i], up[i]);
    }
}

extern "C" __global__ void swiglu(const float* __restrict__ gate, const float* __restrict__ up, float* __restrict__ out,
                                  long long n) {
    pdl_begin();
    swiglu_rows(gate, up, out, n);
}

// The same, but the successor may launch before this kernel's wait. In decode the successor is the down
// projection, whose ring blocks then take the slots gate/up's finishing blocks leave and load their first
// weight stages while gate/up and this kernel run, instead of starting cold after a 1 us kernel. Safe: the
// successor's own pdl_wait() still waits for this kernel to complete, and this kernel completes only after
// its wait, i.e. after gate/up. Up to three kernels overlap; the successor's blocks launch only once every
// block of this one is resident, so none of them can be starved of a slot.
extern "C" __global__ void swiglu_trigger_first(const float* __restrict__ gate, const float* __restrict__ up,
                                                float* __restrict__ out, long long n) {
    pdl_launch_dependents();
    pdl_wait();
    swiglu_rows(gate, up, out, n);
}
