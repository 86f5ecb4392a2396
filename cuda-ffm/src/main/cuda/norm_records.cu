// RMSNorm(x + add) * weight written straight as a ring matvec's integer records of x (matvec_x8_stage.cuh: 48 bytes
// per 32 values for x8, 80 for x16), with x + add also written out for the step's next norm; the next launch's
// blocks copy the records into their shared memory in one bulk request (matvec_ring.cuh, RingSource::records).
// Why: a ring launch that norms its own x (matvec_ring_norm.cuh) had every one of its 264 blocks load x and the
// addend after its wait, behind the weight stages it had primed, then the norm's weights, and staged x in 6.1 us
// (q/k/v) and 9.1 us (gate/up) of its run on the H100, where the down projection copying swiglu_records' records
// staged in 0.7 us after a 2.7-3.1 us chain (docs/perf/NOTES.md, decode rounds 32 and 33).
//
// The same records and sum bit for bit as stage_x8_normed (and so as add_rmsnorm_records / rmsnorm_records and the
// plain launch): every block sums the whole row's squares in norm_sum.cuh's order, one thread per 32-value record (the
// same normed_load / normed_store_sum / normed_scale / normed_write_record), and writes the records and the sum of its
// own contiguous share of them. The share's weights are asked of the bulk copy engine before the wait: they are never
// written while a step runs, and asked for after it they would come behind the next launch's primed stages (round 31's
// L2 prefetch from the ring producer did not help). Few blocks (NormRecords.BLOCKS): each holds registers a ring block
// of the next launch may want on its multiprocessor while priming. Triggers its successor first, as swiglu_records
// does.
#include "common.cuh"
#include "bulk_copy.cuh"
#include "matvec_x8_stage.cuh"
#include "matvec_ring_norm.cuh"
#include "programmatic_launch.cuh"

// The most records of one block's share: NORM_MAX_RECORD_COLS / 32 over at least 8 blocks (NormRecords.BLOCKS).
#define NORM_RECORDS_MAX_SHARE 36

template <int LEVELS>
__device__ __forceinline__ void norm_records_row(const RingSource& s, int4* __restrict__ rec, int cols) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    __shared__ __align__(16) float4 weights[8 * NORM_RECORDS_MAX_SHARE];
    __shared__ float scratch[NORM_MAX_GROUPS];
    __shared__ __align__(8) uint64_t landed;
    const int units = cols >> 5, u = threadIdx.x;
    const int per = (units + gridDim.x - 1) / gridDim.x, first = blockIdx.x * per;
    const int share = max(0, min(per, units - first));
    if (threadIdx.x == 0) {
        barrier_init(&landed, 1);
        barrier_init_fence();
    }
    __syncthreads();
    if (threadIdx.x == 0 && share > 0) {
        const uint32_t bytes = (uint32_t) share * 32 * sizeof(float);
        barrier_arrive_expect(&landed, bytes);
        bulk_copy_to_shared(weights, s.weight + 32 * first, bytes, &landed);
    }
    pdl_wait();
    float4 v[8];
    float ss = 0.0f;
    const bool mine = u >= first && u < first + share;
    if (u < units) {
        normed_load(s, u, v);
        if (s.out != nullptr && mine) normed_store_sum(s, u, v);
        ss = record_squares(v);
    }
    const float scale = normed_scale(ss, cols, s.eps, scratch);
    if (mine) {
        barrier_wait(&landed, 0);
        const float4* w = weights + 8 * (u - first);
        normed_write_record<LEVELS>(v, scale, [&](int i) { return w[i]; }, rec, u);
    }
#else
    __trap();  // launched only on compute capability 9.0 and newer (NormRecords, with the ring)
#endif
}

// x, add (or null), weight: cols floats (cols a multiple of 32 up to NORM_MAX_RECORD_COLS, all 16-byte aligned); out:
// x + add (or x) when not null, never x or add; rec: cols / 32 records. One thread per record (blockDim cols / 32
// rounded up to 32), at most 36 records per block (NormRecords' grid).
extern "C" __global__ void __launch_bounds__(NORM_MAX_RECORD_COLS / 32) norm_records_x8(
    const float* x, const float* add, const float* __restrict__ weight, float* out, float eps, int4* rec, int cols) {
    pdl_launch_dependents();
    norm_records_row<1>(RingSource{x, add, weight, out, eps, nullptr}, rec, cols);
}

extern "C" __global__ void __launch_bounds__(NORM_MAX_RECORD_COLS / 32) norm_records_x16(
    const float* x, const float* add, const float* __restrict__ weight, float* out, float eps, int4* rec, int cols) {
    pdl_launch_dependents();
    norm_records_row<2>(RingSource{x, add, weight, out, eps, nullptr}, rec, cols);
}
