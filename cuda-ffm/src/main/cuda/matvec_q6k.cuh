// q6_K for the unit matvec kernel (matvec.cu): one 32-element unit dotted with x without per-weight
// conversions or scale multiplies. The generic path decoded each weight with two 2-byte loads, shifts,
// an int-to-float conversion and a scale multiply (~8 instructions per weight); here a unit reads its 32
// bytes of ql and of qh as aligned words, assembles four 6-bit quants per word (0x80 | q per byte, two
// logic ops), and each weight costs one byte permute (1 + q/128, matvec_float_window.cuh) and one FMA.
#pragma once
#include "programmatic_launch.cuh"
#include "common.cuh"
#include "matvec_float_window.cuh"
#include "matvec_stage.cuh"
#include "matvec_rows.cuh"
#include "matvec_split_rows.cuh"

// 32 bytes at a 2-byte aligned address as eight words: nine aligned 4-byte loads and a funnel shift
// each (shift 0 when the address happens to be 4-byte aligned). The ninth load stays inside the q6_K
// block for every span read here, and a misaligned span never starts at the buffer's first byte.
// GLOBAL: read-only global loads (__ldg); else plain loads (shared memory, the bulk-copy ring).
template <bool GLOBAL>
__device__ __forceinline__ void load_words_2aligned_from(const uint8_t* p, uint32_t (&w)[8]) {
    const uintptr_t a = reinterpret_cast<uintptr_t>(p);
    const uint32_t* base = reinterpret_cast<const uint32_t*>(a & ~static_cast<uintptr_t>(3));
    const uint32_t shift = static_cast<uint32_t>(a & 3) * 8;
    uint32_t raw[9];
#pragma unroll
    for (int i = 0; i < 9; i++) raw[i] = GLOBAL ? __ldg(base + i) : base[i];
#pragma unroll
    for (int i = 0; i < 8; i++) w[i] = __funnelshift_r(raw[i], raw[i + 1], shift);
}

__device__ __forceinline__ void load_words_2aligned(const uint8_t* p, uint32_t (&w)[8]) {
    load_words_2aligned_from<true>(p, w);
}

// q6_K (210 bytes): ql[128] @0, qh[64] @128, scales int8[16] @192, d f16 @208. Unit s of a block: half
// h = s/4, quarter c = s%4; element l takes the low (c < 2) or high nibble of ql[64h + 32(c&1) + l],
// bits 2c..2c+1 of qh[32h + l] as bits 4..5, and scale[8h + 2c + l/16]; value = d * scale * (q - 32).
struct Q6KUnit {
    // The kernel must stage per-16 sums of x (sums[0], sums[1] are this unit's two halves).
    static constexpr bool SUMS = true;

    __device__ __forceinline__ static float dot(const uint8_t* row, int u, const float* xu, const float* sums,
                                                float acc) {
        const uint8_t* b = row + (size_t) (u >> 3) * 210;
        const int s = u & 7, h = s >> 2, c = s & 3;
        const float d = load_f16(b + 208);
        const int8_t* scales = reinterpret_cast<const int8_t*>(b + 192 + 8 * h + 2 * c);
        const float d0 = d * (float) __ldg(scales), d1 = d * (float) __ldg(scales + 1);
        uint32_t ql[8], qh[8];
        load_words_2aligned(b + 64 * h + 32 * (c & 1), ql);
        load_words_2aligned(b + 128 + 32 * h, qh);
        float x[32];
        const float4* xv = reinterpret_cast<const float4*>(xu);
#pragma unroll
        for (int i = 0; i < 8; i++) {
            const float4 f = xv[i];
            x[4 * i] = f.x; x[4 * i + 1] = f.y; x[4 * i + 2] = f.z; x[4 * i + 3] = f.w;
        }
        const float s0 = sums[0], s1 = sums[1];
        const int lowShift = 4 * (c >> 1), highShift = 2 * c;
        // Chains started at -sum(x) end at sum(q x)/128 (matvec_float_window.cuh).
        float a0 = -s0, a1 = -s1;
#pragma unroll
        for (int i = 0; i < 8; i++) {
            const uint32_t high = (((qh[i] >> highShift) << 4) & 0x30303030u) | 0x80808080u;
            const uint32_t packed = ((ql[i] >> lowShift) & 0x0F0F0F0Fu) | high;
            if (i < 4) {
                a0 = window_dot4(packed, x, 4 * i, a0);
            } else {
                a1 = window_dot4(packed, x, 4 * i, a1);
            }
        }
        // sum d_s (q - 32) x = d_s (128 a - 32 S) per half.
        return acc + d0 * (128.0f * a0 - 32.0f * s0) + d1 * (128.0f * a1 - 32.0f * s1);
    }
};

// Warps per block of the q6_K kernel (as the unit kernel's MATVEC_WARPS).
#define MATVEC_Q6K_WARPS 8
// Blocks per multiprocessor the launcher aims for (MatVec.BLOCKS_PER_SM): at most 64 registers.
#define MATVEC_Q6K_BLOCKS_PER_SM 4

// The unit kernel's layout for q6_K with ksplit warps sharing each row: warp slice s of a row takes the
// 32-unit chunks s, s + ksplit, ... and the slices' sums meet in shared memory (after x and its per-16
// sums: MATVEC_Q6K_WARPS partials). A row per warp leaves long rows badly balanced: 4096 x 14336 at 3
// blocks per multiprocessor (x fills 68 KB) is 1.3 rows per warp, so the grid's second pass runs a
// third of the warps; two warps per row make it 2.6 half-rows per warp pair. ksplit divides
// MATVEC_Q6K_WARPS. W's rows and y come from `matrices` (matvec_rows.cuh), x from `source`.
template <typename M, typename X>
__device__ __forceinline__ void matvec_q6k_units(const M& matrices, const X& source, int rows, int cols, int ksplit) {
    pdl_begin();
    extern __shared__ float4 shared4[];
    float* xs = reinterpret_cast<float*>(shared4);
    float* sums = xs + (cols >> 5) * 36;
    float* partial = sums + cols / 16;
    stage_x(source, xs, cols, [](int k) { return k + (k >> 5) * 4; });
    __syncthreads();
    for (int g = threadIdx.x; g < cols / 16; g += blockDim.x) {
        const float* run = xs + 16 * g + (g >> 1) * 4;
        float s = 0.0f;
#pragma unroll
        for (int i = 0; i < 16; i++) s += run[i];
        sums[g] = s;
    }
    __syncthreads();
    matvec_split_rows<MATVEC_Q6K_WARPS>(matrices, rows, cols >> 5, ksplit, partial,
                                        [&](const uint8_t* r, int u, float acc) {
                                            return Q6KUnit::dot(r, u, xs + u * 36, sums + 2 * u, acc);
                                        });
}
