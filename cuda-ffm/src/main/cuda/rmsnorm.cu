// RMSNorm: out[t][i] = x[t][i] / sqrt(mean_i(x[t][i]^2) + eps) * weight[i]. One block per row.
#include "common.cuh"
#include "programmatic_launch.cuh"
#include "norm_weights.cuh"
#include "norm_sum.cuh"

// One row; RECORDS: the sum of squares in norm_sum.cuh's record order where it applies (rmsnorm_records).
template <bool RECORDS>
__device__ __forceinline__ void rmsnorm_row(const float* __restrict__ x, const float* __restrict__ weight,
                                            float* __restrict__ out, int n, float eps) {
    NormWeights<NORM_WEIGHTS_HELD> w;
    w.load(weight, n);  // before the wait: norm_weights.cuh says why
    pdl_begin();
    __shared__ float scratch[32];
    const float* row = x + (size_t) blockIdx.x * n;
    float* dst = out + (size_t) blockIdx.x * n;
    float ss = 0.0f;
    const bool viaShared = RECORDS && norm_sum_by_records(n);
    extern __shared__ float staged[];  // RmsNorm.sharedBytes(n)
    if (viaShared) {
        ss = norm_sum_via_shared(row, nullptr, nullptr, staged, n, scratch);
    } else {
        for (int i = threadIdx.x; i < n; i += blockDim.x) ss = fmaf(row[i], row[i], ss);
        ss = block_sum(ss, scratch);
    }
    const float scale = rsqrtf(ss / (float) n + eps);
    if (viaShared) {
        // the row as it was staged, not read from global memory a second time
        w.scale_into(dst, [&](int i) { return staged[norm_skew(i)]; }, scale, weight, n);
    } else {
        w.scale_into(dst, [&](int i) { return row[i]; }, scale, weight, n);
    }
}

extern "C" __global__ void rmsnorm(const float* __restrict__ x, const float* __restrict__ weight, float* __restrict__ out,
                                   int n, float eps) {
    rmsnorm_row<false>(x, weight, out, n, eps);
}

// rmsnorm with the sum of squares in norm_sum.cuh's record order (add_rmsnorm_records in decode_fused.cu says when
// and why).
extern "C" __global__ void __launch_bounds__(1024) rmsnorm_records(const float* __restrict__ x, const float* __restrict__ weight,
                                                                   float* __restrict__ out, int n, float eps) {
    rmsnorm_row<true>(x, weight, out, n, eps);
}
