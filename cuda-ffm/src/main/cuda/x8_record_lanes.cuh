// One record of x's integer records (matvec_x8_stage.cuh: 48 bytes per 32 values for x8, 80 for x16) written by
// X8_RECORD_LANES threads of a warp, each holding one 16-byte group of four values (lane p: values 4p..4p+3, word p
// of the record's bytes, x8_words' w[p]): the same bytes as x8_write_record by one thread. Why eight lanes: a record
// made by one thread is a serial chain over its 32 values, on the critical path of the decode step wherever a small
// kernel writes the next ring launch's records (swiglu_records.cu, norm_records.cu; docs/perf/NOTES.md decode rounds
// 32 and 35). The largest magnitude is a max and the sums are integers, so neither depends on the order the lanes
// combine them.
#pragma once
#include "common.cuh"
#include "matvec_x8_stage.cuh"

#define X8_RECORD_LANES 8

// Every lane of the warp calls it (the shuffles), in groups of X8_RECORD_LANES consecutive lanes per record: v, lane
// p's four values of record u; `stores` false for a group past the last record (it computes on a real one and stores
// nothing).
template <int LEVELS>
__device__ __forceinline__ void x8_write_record_lanes(const float4 v, int p, bool stores, int4* __restrict__ rec,
                                                      int u) {
    // from 0, as x8_amax: a record of NaNs gets d = 0 there, and fmaxf drops a NaN only against a number
    float amax = fmaxf(0.0f, fmaxf(fmaxf(fabsf(v.x), fabsf(v.y)), fmaxf(fabsf(v.z), fabsf(v.w))));
#pragma unroll
    for (int o = 1; o < X8_RECORD_LANES; o <<= 1) amax = fmaxf(amax, __shfl_xor_sync(0xffffffffu, amax, o));
    const X8Scale scale = x8_scale<LEVELS>(amax);
    const float id = scale.id;
    const uint32_t low = x8_pack4(v.x, v.y, v.z, v.w, id);  // q, or l for two levels
    int s = __dp4a((int) low, 0x01010101, 0);
    uint32_t high = 0;
    if constexpr (LEVELS == 2) {
        high = x16_pack4_high(v.x, v.y, v.z, v.w, id);
        s += 256 * __dp4a((int) high, 0x01010101, 0);
    }
    // each half's sum (words 0-3, 4-7), then the second half's to the record's first lane
    s += __shfl_xor_sync(0xffffffffu, s, 1);
    s += __shfl_xor_sync(0xffffffffu, s, 2);
    const int s1 = __shfl_down_sync(0xffffffffu, s, 4);
    if (!stores) return;
    int* r = reinterpret_cast<int*>(rec + x8_record_int4s<LEVELS>() * u);
    if constexpr (LEVELS == 2) {
        r[p] = (int) high;
        r[8 + p] = (int) low;
    } else {
        r[p] = (int) low;
    }
    if (p == 0) {
        reinterpret_cast<int4*>(r)[2 * LEVELS] = x8_meta_int4(scale.d, s, s1);
    }
}
