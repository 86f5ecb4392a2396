// SwiGLU straight into x's integer records (matvec_x8_stage.cuh: 48 bytes per 32 values for x8, 80 for x16),
// for a down projection on the ring kernel that copies them into its shared memory in one bulk request
// (matvec_ring.cuh, RingSource::records) instead of staging 57 KB of floats in every block. Why: at the 8B's
// 14336 columns each of the down's 264 blocks loaded all of x after its wait and quantized it, 6.1-6.3 us of its
// 18.6-28 us run, its loads queued behind the weight stages it had primed (docs/perf/NOTES.md, decode rounds 25-28
// and 32); the records are 21 KB, made once here, and take no thread of the ring's.
//
// The same records bit for bit as the ring's own staging of swiglu's output: silu_times (silu.cuh) per value, then
// the record written by eight lanes (x8_record_lanes.cuh). Why eight and not one: the first version ran one thread
// per record, 448 threads over the 8B's 14336 values, each a chain of 32 expf and divisions on the step's critical
// path (the lease that measured it: 8B Q4_K_M with rounds 29-32 on 347.6 against 340.3 tok/s, less than rounds 29-30
// alone had gained; docs/perf/NOTES.md decode round 32).
// Triggers its successor first, as swiglu_trigger_first does (the down's blocks prime their weights during gate/up's
// tail; programmatic_launch.cuh).
#include "common.cuh"
#include "matvec_x8_stage.cuh"
#include "programmatic_launch.cuh"
#include "silu.cuh"
#include "x8_record_lanes.cuh"

template <int LEVELS>
__device__ __forceinline__ void swiglu_records_rows(const float* __restrict__ gate, const float* __restrict__ up,
                                                    int4* __restrict__ rec, int units) {
    const int t = blockIdx.x * blockDim.x + threadIdx.x;
    const int p = t % X8_RECORD_LANES;
    // a record past the end (the last warp's) computes on the last one and stores nothing: every lane of the warp
    // takes part in the shuffles
    const int u = min(t / X8_RECORD_LANES, units - 1);
    const bool stores = t / X8_RECORD_LANES < units;
    const float4 g = __ldg(reinterpret_cast<const float4*>(gate) + 8 * u + p);
    const float4 w = __ldg(reinterpret_cast<const float4*>(up) + 8 * u + p);
    const float4 v = make_float4(silu_times(g.x, w.x), silu_times(g.y, w.y), silu_times(g.z, w.z),
                                 silu_times(g.w, w.w));
    x8_write_record_lanes<LEVELS>(v, p, stores, rec, u);
}

// gate, up: n floats (n a multiple of 32, both 16-byte aligned); rec: n / 32 records. X8_RECORD_LANES threads
// per record (SwiGlu.launchRecords' grid).
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
