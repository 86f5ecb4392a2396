// The sum of squares of an RMSNorm row in one order, whatever kernel computes it: rmsnorm_records and
// add_rmsnorm_records (a block of any multiple of 32 threads per row) and the ring matvecs that compute the norm as
// they stage x (matvec_ring_norm.cuh, one thread per 32 values). Why one order: with -Dpagoda.cuda.normStaging the
// decode step computes the norm inside the q/k/v and gate/up launches where it can and in add_rmsnorm_records where
// it cannot (hybrid layers, the output head), and the two paths must give the same bits, or a greedy continuation
// drifts between them (docs/perf/NOTES.md, decode round 9 lost that). The order: record r (values 32r .. 32r + 31)
// sums its squares one fmaf at a time in element order; the records of group g (records 32g .. 32g + 31) are added
// by a warp's butterfly (warp_sum, record 32g + l in lane l); the groups (at most 32: rows up to 32768 values) by
// one more butterfly, absent groups as zero. Rows whose length is not a multiple of 32, or longer, keep the
// kernels' strided order (no ring launch norms those).
#pragma once
#include "common.cuh"

#define NORM_MAX_GROUPS 32

__device__ __forceinline__ bool norm_sum_by_records(int n) { return n % 32 == 0 && n <= 32 * 32 * NORM_MAX_GROUPS; }

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

// Σ v² over record r of v = p (+ q, when not null), in element order, 16 values at a time (the 1024-thread norm
// kernels have 64 registers); `out` (may be p) takes v when not null. 16-byte loads where p and q are 16-byte
// aligned, else one value at a time: the same values either way.
__device__ __forceinline__ float record_squares_at(const float* p, const float* q, float* out, int r) {
    p += 32 * r;
    if (q != nullptr) q += 32 * r;
    if (out != nullptr) out += 32 * r;
    float ss = 0.0f;
    if (((reinterpret_cast<uintptr_t>(p) | reinterpret_cast<uintptr_t>(q) | reinterpret_cast<uintptr_t>(out)) & 15) == 0) {
#pragma unroll
        for (int half = 0; half < 2; half++) {
            float4 v[4];
#pragma unroll
            for (int i = 0; i < 4; i++) v[i] = reinterpret_cast<const float4*>(p)[4 * half + i];
            if (q != nullptr) {
#pragma unroll
                for (int i = 0; i < 4; i++) {
                    const float4 a = reinterpret_cast<const float4*>(q)[4 * half + i];
                    v[i] = make_float4(v[i].x + a.x, v[i].y + a.y, v[i].z + a.z, v[i].w + a.w);
                }
            }
#pragma unroll
            for (int i = 0; i < 4; i++) {
                if (out != nullptr) reinterpret_cast<float4*>(out)[4 * half + i] = v[i];
                ss = fmaf(v[i].x, v[i].x, ss);
                ss = fmaf(v[i].y, v[i].y, ss);
                ss = fmaf(v[i].z, v[i].z, ss);
                ss = fmaf(v[i].w, v[i].w, ss);
            }
        }
        return ss;
    }
    for (int i = 0; i < 32; i++) {
        const float v = q != nullptr ? p[i] + q[i] : p[i];
        if (out != nullptr) out[i] = v;
        ss = fmaf(v, v, ss);
    }
    return ss;
}

// The whole order for a row block (blockDim a multiple of 32): `squares(r)` gives record r's Σ v² in element order
// (record_squares or record_squares_at); scratch holds NORM_MAX_GROUPS floats. Every thread gets the total.
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
