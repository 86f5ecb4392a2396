// Small ops of the one-token decode step fused into single launches, with the same float operations in
// the same order as the kernels they replace (add.cu, rmsnorm.cu, rope.cu, kv_store.cu), so the fused
// step matches the unfused one to rounding.
#include "common.cuh"
#include "programmatic_launch.cuh"
#include "rope_pair.cuh"
#include "norm_weights.cuh"
#include "norm_sum.cuh"

// Residual add + RMSNorm: x[t] += y[t], then out[t] = x[t] / sqrt(mean(x[t]^2) + eps) * weight (add.cu
// then rmsnorm.cu). out may be y: each element is read and written by the same thread, with the
// block reduction's barriers in between (in the record order: every read of y before norm_sum's barrier, every
// write of out after it). One block per row. RECORDS: the sum of squares in norm_sum.cuh's record order where it
// applies (add_rmsnorm_records).
template <bool RECORDS>
__device__ __forceinline__ void add_rmsnorm_row(float* __restrict__ x, const float* y, const float* __restrict__ weight,
                                                float* out, int n, float eps) {
    NormWeights<NORM_WEIGHTS_HELD> w;
    w.load(weight, n);  // before the wait: norm_weights.cuh says why
    pdl_begin();
    __shared__ float scratch[32];
    float* row = x + (size_t) blockIdx.x * n;
    const float* add = y + (size_t) blockIdx.x * n;
    float* dst = out + (size_t) blockIdx.x * n;
    float ss = 0.0f;
    const bool viaShared = RECORDS && norm_sum_by_records(n);
    extern __shared__ float staged[];  // RmsNorm.sharedBytes(n)
    if (viaShared) {
        ss = norm_sum_via_shared(row, add, row, staged, n, scratch);
    } else {
        for (int i = threadIdx.x; i < n; i += blockDim.x) {
            const float v = row[i] + add[i];
            row[i] = v;
            ss = fmaf(v, v, ss);
        }
        ss = block_sum(ss, scratch);
    }
    const float scale = rsqrtf(ss / (float) n + eps);
    if (viaShared) {
        // the sums as they were staged, not read back from x
        w.scale_into(dst, [&](int i) { return staged[norm_skew(i)]; }, scale, weight, n);
    } else {
        w.scale_into(dst, [&](int i) { return row[i]; }, scale, weight, n);
    }
}

extern "C" __global__ void add_rmsnorm(float* __restrict__ x, const float* y, const float* __restrict__ weight,
                                       float* out, int n, float eps) {
    add_rmsnorm_row<false>(x, y, weight, out, n, eps);
}

// add_rmsnorm with the sum of squares in norm_sum.cuh's record order: what the decode step launches beside ring
// matvecs that norm their own x (pagoda.cuda.normStaging, on by default; matvec_ring_norm.cuh), so that a layer
// normed here (a hybrid one, a Q8_0 one, the output head) and one normed in a ring launch give the same bits. One
// thread per 32-value record from global memory took two dependent L2 round trips (the 8B step's add_rmsnorm chains
// ~4 -> ~11 us; docs/perf/NOTES.md decode round 30); the row is staged through shared memory now
// (norm_sum_via_shared), and an 8B Q8_0, which norms every layer here, decodes as fast as with add_rmsnorm (round 32).
extern "C" __global__ void __launch_bounds__(1024) add_rmsnorm_records(float* __restrict__ x, const float* y,
                                                                       const float* __restrict__ weight, float* out,
                                                                       int n, float eps) {
    add_rmsnorm_row<true>(x, y, weight, out, n, eps);
}

// RoPE (NORM mode) of q [tokens][qHeads][headDim] and k [tokens][kvHeads][headDim] in place, and the
// f16 store of k and v [tokens][vWidth] into cache row *positions + t (rope.cu + kv_store.cu x 2). Rows
// outside [0, capacity) are not written to the caches. A token's pairs and v values are spread over
// gridDim.y blocks of a few warps, one pair per thread: with one 1024-thread block per token (the 8B's
// 2560 pairs) each thread ran up to three pairs in a row, each a powf and a sincosf of an angle up to
// the position (the slow range reduction), 32 warps on one SM; rope_qk_store took about 4.4 us of the
// 8B step per layer against 1.3 for any small dependent launch (H200, DecodeStepProfile).
extern "C" __global__ void rope_qk_store(float* __restrict__ q, float* __restrict__ k, const float* __restrict__ v,
                                         half* __restrict__ keyCache, half* __restrict__ valueCache,
                                         const int* __restrict__ positions, const float* __restrict__ freqFactors,
                                         int qHeads, int kvHeads, int headDim, int vWidth, float base, int capacity) {
    pdl_begin();
    const int t = blockIdx.x;
    const float pos = (float) positions[t];
    const int pairs = headDim / 2;
    const int cacheRow = positions[0] + t;
    const bool store = cacheRow >= 0 && cacheRow < capacity;
    float* qRow = q + (size_t) t * qHeads * headDim;
    float* kRow = k + (size_t) t * kvHeads * headDim;
    const int qPairs = qHeads * pairs;
    const int first = blockIdx.y * blockDim.x + threadIdx.x, stride = gridDim.y * blockDim.x;
    for (int idx = first; idx < (qHeads + kvHeads) * pairs; idx += stride) {
        const bool isK = idx >= qPairs;
        const int j = isK ? idx - qPairs : idx;
        const int h = j / pairs, i = j % pairs;
        float* p = (isK ? kRow : qRow) + h * headDim + 2 * i;
        float x0, x1;
        rope_rotate(p[0], p[1], pos, i, headDim, freqFactors, base, x0, x1);
        p[0] = x0;
        p[1] = x1;
        if (isK && store) {
            half* c = keyCache + (size_t) cacheRow * kvHeads * headDim + h * headDim + 2 * i;
            c[0] = __float2half_rn(x0);
            c[1] = __float2half_rn(x1);
        }
    }
    if (store) {
        const float* vRow = v + (size_t) t * vWidth;
        half* c = valueCache + (size_t) cacheRow * vWidth;
        for (int i = first; i < vWidth; i += stride) c[i] = __float2half_rn(vRow[i]);
    }
}
