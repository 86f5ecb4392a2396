// A norm's weights for the elements one thread of a row block owns (i = threadIdx.x + k * blockDim.x), held in
// registers and loaded before the programmatic wait. Why: rmsnorm and add_rmsnorm let the next kernel launch as
// soon as they have waited, and in the decode step that next kernel is a ring matvec whose blocks at once ask the
// bulk copy engine for up to ~24 MB of weights (matvec_ring.cuh). A weight load issued after that, at the end of
// the norm, waits in DRAM behind those requests: the step's timeline (DecodeStepTimeline, H100, 8B Q4_K_M) showed
// add_rmsnorm between two matvecs taking 7-10 us against ~2 us for swiglu, growing with the bytes the next ring
// primes. The weights are never written while a step runs, so they may be read before the wait
// (programmatic_launch.cuh); what the thread does with them is unchanged (same products, same order).
#pragma once

// Up to HELD weights per thread in registers (8192 columns at 1024 threads); beyond that, read where used.
template <int HELD>
struct NormWeights {
    float held[HELD];

    __device__ __forceinline__ void load(const float* __restrict__ weight, int n) {
#pragma unroll
        for (int k = 0; k < HELD; k++) {
            const int i = threadIdx.x + k * blockDim.x;
            held[k] = i < n ? weight[i] : 0.0f;
        }
    }

    // dst[i] = row(i) * scale * weight[i] for this thread's elements of the row; row(i) gives value i (from global
    // memory, or from where the record-order norms staged it: norm_sum_via_shared).
    template <typename Row>
    __device__ __forceinline__ void scale_into(float* dst, Row row, float scale, const float* __restrict__ weight,
                                               int n) const {
#pragma unroll
        for (int k = 0; k < HELD; k++) {
            const int i = threadIdx.x + k * blockDim.x;
            if (i < n) dst[i] = row(i) * scale * held[k];
        }
        for (int i = threadIdx.x + HELD * blockDim.x; i < n; i += blockDim.x) dst[i] = row(i) * scale * weight[i];
    }
};

#define NORM_WEIGHTS_HELD 8
