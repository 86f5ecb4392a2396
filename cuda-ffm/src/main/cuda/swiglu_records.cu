// SwiGLU straight into x's integer records (matvec_x8_stage.cuh: 48 bytes per 32 values for x8, 80 for x16),
// for a down projection on the ring kernel that copies them into its shared memory in one bulk request
// (matvec_ring.cuh, RingSource::records) instead of staging 57 KB of floats in every block. Why: at the 8B's
// 14336 columns each of the down's 264 blocks loaded all of x after its wait and quantized it, 6.1-6.3 us of its
// 18.6-28 us run, its loads queued behind the weight stages it had primed (docs/perf/NOTES.md, decode rounds 25-28
// and 32); the records are 21 KB, made once here, and take no thread of the ring's.
//
// The same records bit for bit as the ring's own staging of swiglu's output: silu_times (silu.cuh), then
// x8_amax and x8_write_record over each 32 values. One thread per record. Triggers its successor first, as
// swiglu_trigger_first does (the down's blocks prime their weights during gate/up's tail; programmatic_launch.cuh).
#include "common.cuh"
#include "matvec_x8_stage.cuh"
#include "programmatic_launch.cuh"
#include "silu.cuh"

template <int LEVELS>
__device__ __forceinline__ void swiglu_records_rows(const float* __restrict__ gate, const float* __restrict__ up,
                                                    int4* __restrict__ rec, int units) {
    const int u = blockIdx.x * blockDim.x + threadIdx.x;
    if (u >= units) return;
    const float4* g = reinterpret_cast<const float4*>(gate) + 8 * u;
    const float4* w = reinterpret_cast<const float4*>(up) + 8 * u;
    float4 v[8];
#pragma unroll
    for (int b = 0; b < 8; b += 4) {
        float4 gs[4], us[4];
#pragma unroll
        for (int i = 0; i < 4; i++) {
            gs[i] = __ldg(g + b + i);
            us[i] = __ldg(w + b + i);
        }
#pragma unroll
        for (int i = 0; i < 4; i++) {
            v[b + i] = make_float4(silu_times(gs[i].x, us[i].x), silu_times(gs[i].y, us[i].y),
                                   silu_times(gs[i].z, us[i].z), silu_times(gs[i].w, us[i].w));
        }
    }
    x8_write_record<LEVELS>(v, x8_amax(v), rec, u);
}

// gate, up: n floats (n a multiple of 32, both 16-byte aligned); rec: n / 32 records.
extern "C" __global__ void swiglu_records_x8(const float* __restrict__ gate, const float* __restrict__ up,
                                             int4* __restrict__ rec, int n) {
    pdl_launch_dependents();
    pdl_wait();
    swiglu_records_rows<1>(gate, up, rec, n >> 5);
}

extern "C" __global__ void swiglu_records_x16(const float* __restrict__ gate, const float* __restrict__ up,
                                              int4* __restrict__ rec, int n) {
    pdl_launch_dependents();
    pdl_wait();
    swiglu_records_rows<2>(gate, up, rec, n >> 5);
}
