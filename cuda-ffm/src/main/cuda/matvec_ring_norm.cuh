// x as a ring matvec stages it (matvec_ring.cuh): as it is in memory, or as RMSNorm(x + add) * weight, the
// norm computed by every block as it stages x, with the sum x + add also written out (each block a share of
// it) for the step's next norm. Why: add_rmsnorm ran between the down projection and q/k/v and between o and
// gate/up, each one more programmatic wait on the decode step's chain (6.6-7.0 and 4.4 us per layer on the
// H100, DecodeStepTimeline, 8B Q4_K_M), for 16 KB of work; a ring block already loads all of x after its wait.
// Round 9 tried this in the register kernels and won nothing: there the next kernel's weights only started
// after the wait, while a ring block's requests are in flight before it (docs/perf/NOTES.md, decode round 30).
//
// The norm's weights (never written while a step runs; 16 KB, evicted from the L2 by each token's weights) are
// asked of the L2 by the producer before its primed stages (matvec_ring.cuh): loaded only after the wait, they
// queued in DRAM behind those stages, and q/k/v's staging took 5.8 us instead of 2.3 (decode round 30's timeline;
// the prefetch came after that measurement and was measured only with every decode option on at once, round 32).
//
// Same bits as add_rmsnorm_records (or rmsnorm_records) and the plain launch after it: the sum x + add, the sum of
// squares in norm_sum.cuh's order (one thread per record, warp g holding group g), the scale as
// rsqrtf(ss / n + eps), each value (v * scale) * weight, then the same records (x8_write_record). One record per
// thread: cols / 32 at most the block's threads (RingMatVec checks: 9216 columns).
#pragma once
#include "matvec_x8_stage.cuh"
#include "norm_sum.cuh"

struct RingSource {
    const float* x;
    const float* add;     // added to x first, or null
    const float* weight;  // the norm's weights; null: x as it is, no norm
    float* out;           // x (+ add), written when not null; never x or add (other blocks are reading them)
    float eps;
    const int4* records;  // x's records as an earlier kernel wrote them (swiglu_records.cu, norm_records.cu), or null
};

// x's records at rec from RMSNorm(x + add) * weight; scratch holds NORM_MAX_GROUPS floats. Ends with the records
// of this thread written, not yet published (the caller's barrier does).
template <int LEVELS>
__device__ __forceinline__ void stage_x8_normed(const RingSource& s, int4* rec, int cols, float* scratch) {
    const int units = cols >> 5, groups = (units + 31) / 32;
    const int u = threadIdx.x, lane = u % WARP_SIZE, warp = u / WARP_SIZE;
    float4 v[8];
    float ss = 0.0f;
    if (u < units) {
        const float4* x = reinterpret_cast<const float4*>(s.x) + 8 * u;
        float4 a[8];
#pragma unroll
        for (int i = 0; i < 8; i++) v[i] = __ldg(x + i);
        if (s.add != nullptr) {
            const float4* add = reinterpret_cast<const float4*>(s.add) + 8 * u;
#pragma unroll
            for (int i = 0; i < 8; i++) a[i] = __ldg(add + i);
#pragma unroll
            for (int i = 0; i < 8; i++) {
                v[i] = make_float4(v[i].x + a[i].x, v[i].y + a[i].y, v[i].z + a[i].z, v[i].w + a[i].w);
            }
        }
        if (s.out != nullptr && u % gridDim.x == blockIdx.x) {
            float4* out = reinterpret_cast<float4*>(s.out) + 8 * u;
#pragma unroll
            for (int i = 0; i < 8; i++) out[i] = v[i];
        }
        ss = record_squares(v);
    }
    ss = warp_sum(ss);
    if (lane == 0 && warp < groups) scratch[warp] = ss;
    __syncthreads();
    const float scale = rsqrtf(norm_groups_total(scratch, groups) / (float) cols + s.eps);
    if (u < units) {
        const float4* w = reinterpret_cast<const float4*>(s.weight) + 8 * u;
        float4 n[8];
#pragma unroll
        for (int i = 0; i < 8; i++) {
            const float4 wi = __ldg(w + i);
            n[i] = make_float4(v[i].x * scale * wi.x, v[i].y * scale * wi.y, v[i].z * scale * wi.z,
                               v[i].w * scale * wi.w);
        }
        x8_write_record<LEVELS>(n, x8_amax(n), rec, u);
    }
}
