// The int8-activation unit kernel (q8_0, q4_0, q6_K): like matvec_q6k_units, ksplit warps share each row
// and each lane dots 32-element units of it, but against x's int8 records (matvec_x8_stage.cuh) with
// dp4a: four weights per instruction, and the scales applied once per unit (q6_K: once per 16 in int).
// The units' weight bytes are read as aligned 4-byte words (their blocks are only 2-byte aligned): q8_0
// and q4_0 had been read by 2-byte loads, 16 per unit, which capped them on load issue, not bandwidth.
#pragma once
#include "programmatic_launch.cuh"
#include "common.cuh"
#include "matvec_x8_stage.cuh"
#include "matvec_rows.cuh"
#include "matvec_q6k.cuh"
#include "matvec_split_rows.cuh"

// A block of an f16 scale followed by N words of quants (q8_0: N = 8, q4_0: N = 4) at a 2-byte aligned
// address b, as N + 1 aligned loads that end at b + 2 + 4N: at b = 2 mod 4 the quants are word aligned
// and the word before them holds the scale in its high half (its low half is the two bytes before b,
// inside the same allocation, whose base is aligned); at b = 0 mod 4 every quant word straddles two
// words and the last half-word is read by a 2-byte load, so nothing past the block is read.
template <int N>
__device__ __forceinline__ float load_scaled_words(const uint8_t* b, uint32_t (&q)[N]) {
    const uintptr_t a = reinterpret_cast<uintptr_t>(b);
    const bool odd = (a & 2) != 0;
    const uint32_t* base = reinterpret_cast<const uint32_t*>(a & ~static_cast<uintptr_t>(3));
    uint32_t raw[N + 1];
#pragma unroll
    for (int i = 0; i < N; i++) raw[i] = __ldg(base + i);
    raw[N] = odd ? __ldg(base + N) : (uint32_t) __ldg(reinterpret_cast<const uint16_t*>(base + N));
#pragma unroll
    for (int i = 0; i < N; i++) q[i] = odd ? raw[i + 1] : __funnelshift_r(raw[i], raw[i + 1], 16);
    return f16_bits_to_float(odd ? raw[0] >> 16 : raw[0]);
}

// q8_0 (34 bytes): d f16, qs int8[32]; value = d q.
template <int LEVELS>
struct Q8_0X8Unit {
    __device__ __forceinline__ static float dot(const uint8_t* row, int u, const int4* rec, float acc) {
        constexpr int INT4S = x8_record_int4s<LEVELS>();
        uint32_t q[8];
        const float d = load_scaled_words<8>(row + (size_t) u * 34, q);
        const X8Meta m = x8_meta<LEVELS>(rec, u);
        const int s = x8_dot16<LEVELS>(q[0], q[1], q[2], q[3], rec, INT4S * u)
                      + x8_dot16<LEVELS>(q[4], q[5], q[6], q[7], rec, INT4S * u + 1);
        return fmaf(d * m.d, (float) s, acc);
    }
};

// q4_0 (18 bytes): d f16, qs[16]; element j < 16 is the low nibble of qs[j], j + 16 its high nibble;
// value = d (n - 8), so sum = d dx (sum n q - 8 sum q).
template <int LEVELS>
struct Q4_0X8Unit {
    __device__ __forceinline__ static float dot(const uint8_t* row, int u, const int4* rec, float acc) {
        constexpr int INT4S = x8_record_int4s<LEVELS>();
        uint32_t q[4];
        const float d = load_scaled_words<4>(row + (size_t) u * 18, q);
        const X8Meta m = x8_meta<LEVELS>(rec, u);
        const int s = x8_dot16<LEVELS>(q[0] & 0x0F0F0F0Fu, q[1] & 0x0F0F0F0Fu, q[2] & 0x0F0F0F0Fu, q[3] & 0x0F0F0F0Fu,
                                       rec, INT4S * u)
                      + x8_dot16<LEVELS>((q[0] >> 4) & 0x0F0F0F0Fu, (q[1] >> 4) & 0x0F0F0F0Fu, (q[2] >> 4) & 0x0F0F0F0Fu,
                                         (q[3] >> 4) & 0x0F0F0F0Fu, rec, INT4S * u + 1);
        return fmaf(d * m.d, (float) (s - 8 * (m.s0 + m.s1)), acc);
    }
};

// q6_K: unit layout as Q6KUnit (matvec_q6k.cuh); the four 6-bit quants of a word are assembled as bytes
// 0..63 (positive as int8, so dp4a takes them as they are) and the -32 offset and the two int8 scales are
// applied to the int sums of each 16: d dx (sc0 (a0 - 32 s0) + sc1 (a1 - 32 s1)), exact in int for one
// level; with two levels the scaled sums can pass 2^31, so the scales are applied in float.
template <int LEVELS>
struct Q6KX8Unit {
    __device__ __forceinline__ static float dot(const uint8_t* row, int u, const int4* rec, float acc) {
        return dot_block<true>(row + (size_t) (u >> 3) * 210, u, rec, acc);
    }

    // Unit u of the block at b, read by read-only global loads (GLOBAL) or by plain loads (a block in shared
    // memory: the bulk-copy ring, matvec_ring.cuh).
    template <bool GLOBAL>
    __device__ __forceinline__ static float dot_block(const uint8_t* b, int u, const int4* rec, float acc) {
        const int s = u & 7, h = s >> 2, c = s & 3;
        const float d = load_f16(b + 208);
        const int8_t* scales = reinterpret_cast<const int8_t*>(b + 192 + 8 * h + 2 * c);
        const int sc0 = GLOBAL ? __ldg(scales) : scales[0], sc1 = GLOBAL ? __ldg(scales + 1) : scales[1];
        uint32_t ql[8], qh[8];
        load_words_2aligned_from<GLOBAL>(b + 64 * h + 32 * (c & 1), ql);
        load_words_2aligned_from<GLOBAL>(b + 128 + 32 * h, qh);
        constexpr int INT4S = x8_record_int4s<LEVELS>();
        const X8Meta m = x8_meta<LEVELS>(rec, u);
        const int lowShift = 4 * (c >> 1), highShift = 2 * c;
        uint32_t q[8];
#pragma unroll
        for (int i = 0; i < 8; i++) q[i] = ((ql[i] >> lowShift) & 0x0F0F0F0Fu) | (((qh[i] >> highShift) << 4) & 0x30303030u);
        const int a0 = x8_dot16<LEVELS>(q[0], q[1], q[2], q[3], rec, INT4S * u) - 32 * m.s0;
        const int a1 = x8_dot16<LEVELS>(q[4], q[5], q[6], q[7], rec, INT4S * u + 1) - 32 * m.s1;
        if constexpr (LEVELS == 2) {
            return fmaf(d * m.d, fmaf((float) sc0, (float) a0, (float) sc1 * (float) a1), acc);
        } else {
            return fmaf(d * m.d, (float) (sc0 * a0 + sc1 * a1), acc);
        }
    }
};

// Warps per block and blocks per multiprocessor of the x8 unit kernel (MatVec.WARPS, MatVecShape).
#define MATVEC_X8_WARPS 8
#define MATVEC_X8_BLOCKS_PER_SM 4

// y = W x with ksplit warps sharing each row (matvec_split_rows.cuh); the slices' sums meet in shared
// memory after x's records. ksplit divides MATVEC_X8_WARPS.
template <int LEVELS, template <int> typename U, typename M, typename X>
__device__ __forceinline__ void matvec_x8_units(const M& matrices, const X& source, int rows, int cols, int ksplit) {
    pdl_begin();
    extern __shared__ int4 shared_x8[];
    int4* rec = shared_x8;
    float* partial = reinterpret_cast<float*>(shared_x8 + x8_record_int4s<LEVELS>() * (cols >> 5));
    stage_x8<LEVELS>(source, rec, cols);
    __syncthreads();
    matvec_split_rows<MATVEC_X8_WARPS>(matrices, rows, cols >> 5, ksplit, partial,
                                       [&](const uint8_t* r, int u, float acc) { return U<LEVELS>::dot(r, u, rec, acc); });
}
