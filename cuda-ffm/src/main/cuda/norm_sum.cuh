// The sum of squares of an RMSNorm row in one order, whatever kernel computes it: rmsnorm_records and
// add_rmsnorm_records (a block of any multiple of 32 threads per row) and the ring matvecs that compute the norm as
// they stage x (matvec_ring_norm.cuh, one thread per 32 values). Why one order: with pagoda.cuda.normStaging (the
// default) the decode step computes the norm inside the q/k/v and gate/up launches where it can and in
// add_rmsnorm_records where it cannot (hybrid layers, the output head), and the two paths must give the same bits, or a
// greedy continuation drifts between them (docs/perf/NOTES.md, decode round 9 lost that). The order: record r (values
// 32r .. 32r + 31) sums its squares one fmaf at a time in element order; the records of group g (records 32g .. 32g +
// 31) are added by a warp's butterfly (warp_sum, record 32g + l in lane l); the groups (at most 32: rows up to 32768
// values) by one more butterfly, absent groups as zero. Rows whose length is not a multiple of 32, or longer, keep the
// kernels' strided order (no ring launch norms those).
#pragma once
#include "common.cuh"

#define NORM_MAX_GROUPS 32
// The widest row summed in the record order: the most a ring launch norms (one record per thread of its 288); the
// norm kernels stage the row in shared memory, at most 38,016 bytes then (RmsNorm.sharedBytes in Java).
#define NORM_MAX_RECORD_COLS 9216

__device__ __forceinline__ bool norm_sum_by_records(int n) { return n % 32 == 0 && n <= NORM_MAX_RECORD_COLS; }

// Where value i of a row staged in shared memory sits: one float of padding per 32, so that the 32 lanes reading
// 32 records' j-th values hit 32 banks.
__device__ __forceinline__ int norm_skew(int i) { return i + (i >> 5); }

// Σ v² over one record's 32 values, in element order.
__device__ __forceinline__ float record_squares(const float4 (&v)[8]) {
    float ss = 0.0f;
#pragma unroll
    for (int i = 0; i < 8; i++) {
        ss = fmaf(v[i].x, v[i].x, ss);
        ss = fmaf(v[i].y, v[i].y, ss);
        ss = fmaf(v[i].z, v[i].z, ss);
        ss = fmaf(v[i].w, v[i].w, ss);
    }
    return ss;
}

// Group sums to the total: every thread of the block calls it with scratch[g] holding group g's sum for
// g < groups, after a barrier; every thread gets the total.
__device__ __forceinline__ float norm_groups_total(const float* scratch, int groups) {
    const int lane = threadIdx.x % WARP_SIZE;
    return warp_sum(lane < groups ? scratch[lane] : 0.0f);
}

// The whole order for a row block (blockDim a multiple of 32): `squares(r)` gives record r's Σ v² in element order;
// scratch holds NORM_MAX_GROUPS floats. Every thread gets the total.
template <typename Squares>
__device__ __forceinline__ float norm_sum(int n, float* scratch, Squares squares) {
    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE;
    const int records = n / 32, groups = (records + 31) / 32;
    for (int g = warp; g < groups; g += blockDim.x / WARP_SIZE) {
        const int r = 32 * g + lane;
        float ss = r < records ? squares(r) : 0.0f;
        ss = warp_sum(ss);
        if (lane == 0) scratch[g] = ss;
    }
    __syncthreads();
    return norm_groups_total(scratch, groups);
}

// The record order for rmsnorm_records, add_rmsnorm_records and norm_records: v = p (+ q, when not null) staged
// into `staged` (norm_skew; shared memory for n values and their padding) by the whole block, each thread's loads
// issued before its stores, v also written to `out` when not null; then one thread per record sums from shared memory. Why not one
// thread per record from global memory: 128 of 1024 threads and two dependent L2 round trips took the 8B decode step's
// add_rmsnorm from ~4 to ~11 us (decode round 30); this is one coalesced round trip, as the strided order's. Every
// read of p and q comes before the first barrier. Every thread gets the total; `staged` keeps the row for the
// caller's scaling pass (norm_skew), which then reads no global memory.
__device__ __forceinline__ float norm_sum_via_shared(const float* p, const float* q, float* out, float* staged, int n,
                                                     float* scratch) {
    constexpr int PER = 9;  // values per thread and pass: NORM_MAX_RECORD_COLS over 1024 threads in one pass
    for (int first = threadIdx.x; first < n; first += PER * blockDim.x) {
        float v[PER];
#pragma unroll
        for (int k = 0; k < PER; k++) {
            const int i = first + k * blockDim.x;
            v[k] = i < n ? p[i] : 0.0f;
        }
        if (q != nullptr) {
            float a[PER];
#pragma unroll
            for (int k = 0; k < PER; k++) {
                const int i = first + k * blockDim.x;
                a[k] = i < n ? q[i] : 0.0f;
            }
#pragma unroll
            for (int k = 0; k < PER; k++) v[k] += a[k];
        }
#pragma unroll
        for (int k = 0; k < PER; k++) {
            const int i = first + k * blockDim.x;
            if (i < n) {
                staged[norm_skew(i)] = v[k];
                if (out != nullptr) out[i] = v[k];
            }
        }
    }
    __syncthreads();
    return norm_sum(n, scratch, [&](int r) {
        const float* s = staged + norm_skew(32 * r);
        float ss = 0.0f;
#pragma unroll
        for (int j = 0; j < 32; j++) ss = fmaf(s[j], s[j], ss);
        return ss;
    });
}
