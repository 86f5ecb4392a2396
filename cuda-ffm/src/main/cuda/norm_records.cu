// RMSNorm(x + add) * weight written straight as a ring matvec's integer records of x (matvec_x8_stage.cuh: 48 bytes
// per 32 values for x8, 80 for x16), with x + add also written out for the step's next norm; the next launch's
// blocks copy the records into their shared memory in one bulk request (matvec_ring.cuh, RingSource::records).
// Why: a ring launch that norms its own x (matvec_ring_norm.cuh) had every one of its 264 blocks load x and the
// addend after its wait, behind the weight stages it had primed, then the norm's weights, and staged x in 6.1 us
// (q/k/v) and 9.1 us (gate/up) of its run on the H100, where the down projection copying swiglu_records' records
// staged in 0.7 us after a 2.7-3.1 us chain (docs/perf/NOTES.md, decode rounds 32 and 33).
//
// One block of up to 1024 threads for the whole row, as add_rmsnorm_records: x and the addend loaded coalesced into
// shared memory in one round trip (norm_sum_via_shared, which also writes x + add), the sum of squares in
// norm_sum.cuh's order from there, then each record written by eight lanes (x8_record_lanes.cuh) from the staged
// values, the scale and the norm's weights. Why not the first version's eight blocks of one thread per record, each
// block summing the whole row from global memory: each thread's sixteen 16-byte loads of one record, and its serial
// chain over 32 values, made the kernel the chain before q/k/v and gate/up for 6.4-8.0 us on the H100 where
// swiglu_records takes 2.8; this one takes 4.1 before q/k/v and 7.0 before gate/up (decode rounds 33 and 35, the
// 8B Q4_K_M at 386 tok/s with it against 371 without). The norm's weights (never written while a step runs) are asked
// of the bulk copy engine before the wait. The same records and sum bit for bit as the ring's normed staging (and so
// as add_rmsnorm_records / rmsnorm_records and the plain launch): the same order of the sum, the same scale
// rsqrtf(ss / n + eps), each value (v * scale) * weight, and the records x8_write_record makes. Triggers its
// successor first, as swiglu_records does.
#include "common.cuh"
#include "bulk_copy.cuh"
#include "matvec_x8_stage.cuh"
#include "norm_sum.cuh"
#include "programmatic_launch.cuh"
#include "x8_record_lanes.cuh"

#define NORM_RECORDS_THREADS 1024

template <int LEVELS>
__device__ __forceinline__ void norm_records_row(const float* x, const float* add, const float* __restrict__ weight,
                                                 float* out, float eps, int4* __restrict__ rec, int cols) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    // the norm's weights (cols floats), then the row as norm_sum_via_shared stages it (norm_skew: cols + cols / 32)
    extern __shared__ __align__(16) float4 norm_shared[];
    __shared__ float scratch[NORM_MAX_GROUPS];
    __shared__ __align__(8) uint64_t landed;
    float* staged = reinterpret_cast<float*>(norm_shared + (cols >> 2));
    if (threadIdx.x == 0) {
        barrier_init(&landed, 1);
        barrier_init_fence();
        const uint32_t bytes = (uint32_t) cols * sizeof(float);
        barrier_arrive_expect(&landed, bytes);
        bulk_copy_to_shared(norm_shared, weight, bytes, &landed);
    }
    pdl_wait();
    const float ss = norm_sum_via_shared(x, add, out, staged, cols, scratch);
    const float scale = rsqrtf(ss / (float) cols + eps);
    barrier_wait(&landed, 0);  // every thread: the barrier's init was published by norm_sum_via_shared's barriers
    const int units = cols >> 5, lane = threadIdx.x % WARP_SIZE;
    // whole warps take part in each pass (the lanes' shuffles); a group past the last record computes on the last
    for (int base = threadIdx.x - lane; base < units * X8_RECORD_LANES; base += blockDim.x) {
        const int t = base + lane, p = t % X8_RECORD_LANES;
        const int u = min(t / X8_RECORD_LANES, units - 1);
        const float* s = staged + norm_skew(32 * u + 4 * p);  // four values in one 32-value run: no skew between them
        const float4 w = norm_shared[8 * u + p];
        const float4 v = make_float4(s[0] * scale * w.x, s[1] * scale * w.y, s[2] * scale * w.z, s[3] * scale * w.w);
        x8_write_record_lanes<LEVELS>(v, p, t / X8_RECORD_LANES < units, rec, u);
    }
#else
    __trap();  // launched only on compute capability 9.0 and newer (NormRecords, with the ring)
#endif
}

// x, add (or null), weight: cols floats (cols a multiple of 32 up to NORM_MAX_RECORD_COLS, all 16-byte aligned); out:
// x + add (or x) when not null, never x or add; rec: cols / 32 records. One block of NORM_RECORDS_THREADS threads,
// dynamic shared memory for cols + cols + cols / 32 floats (NormRecords.sharedBytes).
extern "C" __global__ void __launch_bounds__(NORM_RECORDS_THREADS) norm_records_x8(
    const float* x, const float* add, const float* __restrict__ weight, float* out, float eps, int4* rec, int cols) {
    pdl_launch_dependents();
    norm_records_row<1>(x, add, weight, out, eps, rec, cols);
}

extern "C" __global__ void __launch_bounds__(NORM_RECORDS_THREADS) norm_records_x16(
    const float* x, const float* add, const float* __restrict__ weight, float* out, float eps, int4* rec, int cols) {
    pdl_launch_dependents();
    norm_records_row<2>(x, add, weight, out, eps, rec, cols);
}
