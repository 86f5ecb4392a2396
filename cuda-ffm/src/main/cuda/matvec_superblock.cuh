// Decode matvec over whole super-blocks, for the formats whose generic 32-element units leave the memory
// bus idle (q4_K). One warp takes MATVEC_SB_ROWS rows at a time; its lanes split into four groups of
// eight, each group one 256-element super-block, and lane p of a group reads the p-th 16-byte chunk of
// the block's quants, so a warp's loads cover 4 consecutive blocks with 16-byte accesses. The scales are
// decoded once per lane per block and the minimum terms use per-16 sums of x computed when x is staged;
// the same sums start the nibble dot products (matvec_float_window.cuh).
//
// Shared memory: x as float, padded so that the eight lanes of a group read their 16-float runs from
// eight different bank groups (see Q4KSuperBlock::xs_index), then x's per-16 sums, then one partial sum
// per warp and row for the split-K reduction.
#pragma once
#include "matvec_stage.cuh"
#include "matvec_rows.cuh"
#include "matvec_float_window.cuh"

#define MATVEC_SB_WARPS 8
#define MATVEC_SB_ROWS 2

// A 16-float run of x (16-byte aligned in shared memory) into registers.
__device__ __forceinline__ void load_run16(const float* xs, float (&v)[16]) {
    const float4* p = reinterpret_cast<const float4*>(xs);
#pragma unroll
    for (int i = 0; i < 4; i++) {
        const float4 f = p[i];
        v[4 * i] = f.x; v[4 * i + 1] = f.y; v[4 * i + 2] = f.z; v[4 * i + 3] = f.w;
    }
}

// q4_K (144 bytes): d f16 @0, dmin f16 @2, scales[12] @4, qs[128] @16. Lane p (0..7) reads qs chunk
// 16p..16p+15: qs[32j + l] holds element l of sub-block 2j (low nibble) and of 2j+1 (high nibble), so the
// chunk's low nibbles are elements 64j + 16(p&1) + [0,16) and its high nibbles the same +32, j = p/2.
struct Q4KSuperBlock {
    static constexpr int BYTES = 144;
    // Runs start at 64j + 16h (h = p&1) and +32; four floats of padding per 64 put the eight lanes'
    // runs (run starts 0,16,64,80,... mod 32 become 0,16,4,20,8,24,12,28) in distinct bank groups.
    __device__ __forceinline__ static int xs_index(int k) { return k + ((k >> 6) << 2); }
    __device__ __forceinline__ static int run0(int p) { return 64 * (p >> 1) + 16 * (p & 1); }
    __device__ __forceinline__ static int run1(int p) { return run0(p) + 32; }

    // The two 16-byte loads of lane p for one block: its header and its chunk of quants.
    __device__ __forceinline__ static void load(const uint8_t* block, int p, uint4& head, uint4& qs) {
        head = __ldg(reinterpret_cast<const uint4*>(block));
        qs = __ldg(reinterpret_cast<const uint4*>(block + 16) + p);
    }

    // This lane's part of the dot product of one block with x. x0/x1: its two runs; s0/s1: their sums.
    __device__ __forceinline__ static float dot(const uint4& head, const uint4& qs, int p, const float (&x0)[16],
                                                const float (&x1)[16], float s0, float s1) {
        const float d = f16_bits_to_float(head.x), dmin = f16_bits_to_float(head.x >> 16);
        // Sub-blocks 2j and 2j+1; ggml get_scale_min_k4 with bytes A = scales[t], B = scales[t+4],
        // C = scales[t+8], t = sub-block & 3: sub-blocks 0..3 take A&63 / B&63, 4..7 take 4+2 bit splits.
        const int j = p >> 1, shift = 16 * (j & 1);
        const uint32_t a = head.y >> shift, b = head.z >> shift, c = head.w >> shift;
        float sc0, m0, sc1, m1;
        if (j < 2) {
            sc0 = (float) (a & 63); m0 = (float) (b & 63);
            sc1 = (float) ((a >> 8) & 63); m1 = (float) ((b >> 8) & 63);
        } else {
            sc0 = (float) ((c & 15) | (((a >> 6) & 3) << 4));
            m0 = (float) (((c >> 4) & 15) | (((b >> 6) & 3) << 4));
            sc1 = (float) (((c >> 8) & 15) | (((a >> 14) & 3) << 4));
            m1 = (float) (((c >> 12) & 15) | (((b >> 14) & 3) << 4));
        }
        // Nibbles become 1 + q/16 (matvec_float_window.cuh); chains started at -s end at sum(q x)/16.
        // Per 8 weights: 2 shifts + 2 masks, then one permute and one FMA per weight.
        const uint32_t words[4] = {qs.x, qs.y, qs.z, qs.w};
        float lo = -s0, hi = -s1;
#pragma unroll
        for (int i = 0; i < 4; i++) {
            lo = window_dot4(low_nibbles_window(words[i]), x0, 4 * i, lo);
            hi = window_dot4(high_nibbles_window(words[i]), x1, 4 * i, hi);
        }
        return 16.0f * d * (sc0 * lo + sc1 * hi) - dmin * (m0 * s0 + m1 * s1);
    }
};

// Shared floats the super-block kernel needs for `cols` columns (x padded, per-16 sums, partials).
__host__ __device__ constexpr int matvec_sb_shared_floats(int cols) {
    return cols + cols / 16 + cols / 16 + MATVEC_SB_WARPS * MATVEC_SB_ROWS;
}

// y = W x with ksplit warps sharing each group of MATVEC_SB_ROWS rows, each taking every ksplit-th
// group of four blocks; their partial sums meet in shared memory. ksplit divides MATVEC_SB_WARPS.
// W's rows and y come from `matrices` (matvec_rows.cuh), x from `source` (matvec_stage.cuh).
template <typename B, typename M, typename X>
__device__ __forceinline__ void matvec_superblocks(const M& matrices, const X& source, int rows, int cols, int ksplit) {
    extern __shared__ float4 shared4[];
    float* xs = reinterpret_cast<float*>(shared4);
    float* xsum = xs + cols + cols / 16;
    float* partial = xsum + cols / 16;
    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE;
    const int group = lane >> 3, p = lane & 7;
    const int slice = warp % ksplit, rowGroup = warp / ksplit;
    const int rowsPerBlock = MATVEC_SB_WARPS / ksplit * MATVEC_SB_ROWS;
    const int blocks = cols >> 8;
    // Start this warp's first weight loads towards L1 so that their latency overlaps the staging of x
    // (for small matrices, a block's only pass).
    if (4 * slice + group < blocks) {
        const int row = blockIdx.x * rowsPerBlock + rowGroup * MATVEC_SB_ROWS;
#pragma unroll
        for (int r = 0; r < MATVEC_SB_ROWS; r++) {
            const uint8_t* b = matrices.row(min(row + r, rows - 1)) + (size_t) (4 * slice + group) * B::BYTES;
            asm volatile("prefetch.global.L1 [%0];" ::"l"(b + 16 + 16 * p));
        }
    }
    stage_x(source, xs, cols, [](int k) { return B::xs_index(k); });
    __syncthreads();
    for (int g = threadIdx.x; g < cols / 16; g += blockDim.x) {
        const float* run = xs + B::xs_index(16 * g);
        float s = 0.0f;
#pragma unroll
        for (int i = 0; i < 16; i++) s += run[i];
        xsum[g] = s;
    }
    __syncthreads();

    const int r0 = B::run0(p), r1 = B::run1(p);
    for (int first = blockIdx.x * rowsPerBlock; first < rows; first += gridDim.x * rowsPerBlock) {
        const int row = first + rowGroup * MATVEC_SB_ROWS;
        float acc[MATVEC_SB_ROWS];
#pragma unroll
        for (int r = 0; r < MATVEC_SB_ROWS; r++) acc[r] = 0.0f;
        // Two steps per pass, all their loads issued before any is used: 2 x MATVEC_SB_ROWS x 2 16-byte
        // loads in flight per lane.
        const int stride = 4 * ksplit;
        for (int sb = 4 * slice + group; sb < blocks; sb += 2 * stride) {
            const bool second = sb + stride < blocks;
            uint4 head[2][MATVEC_SB_ROWS], qs[2][MATVEC_SB_ROWS];
#pragma unroll
            for (int r = 0; r < MATVEC_SB_ROWS; r++) {
                const uint8_t* b = matrices.row(min(row + r, rows - 1)) + (size_t) sb * B::BYTES;
                B::load(b, p, head[0][r], qs[0][r]);
                if (second) B::load(b + (size_t) stride * B::BYTES, p, head[1][r], qs[1][r]);
            }
#pragma unroll
            for (int step = 0; step < 2; step++) {
                if (step == 1 && !second) break;
                const int at = 256 * (sb + step * stride);
                float x0[16], x1[16];
                load_run16(xs + B::xs_index(at + r0), x0);
                load_run16(xs + B::xs_index(at + r1), x1);
                const float s0 = xsum[(at + r0) >> 4], s1 = xsum[(at + r1) >> 4];
#pragma unroll
                for (int r = 0; r < MATVEC_SB_ROWS; r++) {
                    acc[r] += B::dot(head[step][r], qs[step][r], p, x0, x1, s0, s1);
                }
            }
        }
#pragma unroll
        for (int r = 0; r < MATVEC_SB_ROWS; r++) acc[r] = warp_sum(acc[r]);
        if (ksplit == 1) {
            if (lane < MATVEC_SB_ROWS && row + lane < rows) {
                float v = acc[0];
#pragma unroll
                for (int r = 1; r < MATVEC_SB_ROWS; r++) v = lane == r ? acc[r] : v;
                matrices.store(row + lane, v);
            }
        } else {
            if (lane == 0) {
#pragma unroll
                for (int r = 0; r < MATVEC_SB_ROWS; r++) partial[warp * MATVEC_SB_ROWS + r] = acc[r];
            }
            __syncthreads();
            if (threadIdx.x < rowsPerBlock) {
                const int g = threadIdx.x / MATVEC_SB_ROWS, r = threadIdx.x % MATVEC_SB_ROWS;
                float v = 0.0f;
                for (int s = 0; s < ksplit; s++) v += partial[(g * ksplit + s) * MATVEC_SB_ROWS + r];
                if (first + threadIdx.x < rows) matrices.store(first + threadIdx.x, v);
            }
            __syncthreads();
        }
    }
}
