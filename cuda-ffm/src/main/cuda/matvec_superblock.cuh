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
#include "matvec_x8_stage.cuh"
#include "programmatic_launch.cuh"

#define MATVEC_SB_WARPS 8
#define MATVEC_SB_ROWS 2
// Blocks per multiprocessor of the int8-x q4_K kernel (MatVecShape): its lanes hold 10 registers of x
// per step instead of 35, so a third block fits and puts 50 % more bytes in flight.
#define MATVEC_SB_X8_BLOCKS_PER_SM 3

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

    // Lane p decodes the scale pair of sub-block p of each block: ggml get_scale_min_k4 with bytes
    // A = scales[t], B = scales[t+4], C = scales[t+8], t = p & 3; sub-blocks 0..3 take A&63 / B&63, 4..7
    // take C's nibbles plus the top two bits of A / B. Each of a block's eight pairs is decoded by one
    // lane of its group (before, every lane decoded four values, each pair twice); the lanes that need a
    // scale read it by shuffle. The per-lane choices are made once, outside the weight loop.
    struct ScalePick {
        uint32_t scByte, minByte;  // byte_perm selectors: A or C (scale), B or C (min) into byte 0
        uint32_t minShift;         // 0, or 4 for C's high nibble
        uint32_t topShift;         // 8t + 2: A's / B's top two bits to bits 4..5
        uint32_t low, top;         // 63 and 0, or 15 and 48
    };
    __device__ __forceinline__ static ScalePick pick(int p) {
        const uint32_t t = p & 3;
        return p < 4 ? ScalePick{t, t, 0, 8 * t + 2, 63, 0} : ScalePick{4 + t, 4 + t, 4, 8 * t + 2, 15, 48};
    }

    // 16 d scale_p and dmin min_p of one block for lane p (per the pick).
    __device__ __forceinline__ static void scales(const uint4& head, const ScalePick& k, float& dsc, float& dm) {
        const float d = f16_bits_to_float(head.x), dmin = f16_bits_to_float(head.x >> 16);
        const uint32_t sc = (__byte_perm(head.y, head.w, k.scByte) & k.low) | ((head.y >> k.topShift) & k.top);
        const uint32_t m = ((__byte_perm(head.z, head.w, k.minByte) >> k.minShift) & k.low) | ((head.z >> k.topShift) & k.top);
        dsc = 16.0f * d * (float) sc;
        dm = dmin * (float) m;
    }

    // This lane's part of the scaled nibble sums of one block: x0/x1 its two runs (sub-blocks 2j and 2j+1,
    // j = p/2), s0/s1 their sums, dsc0/dsc1 those sub-blocks' 16 d scale. The min terms are added per
    // sub-block by the lane that decoded them.
    __device__ __forceinline__ static float dot(const uint4& qs, const float (&x0)[16], const float (&x1)[16], float s0,
                                                float s1, float dsc0, float dsc1) {
        // Nibbles become 1 + q/16 (matvec_float_window.cuh); chains started at -s end at sum(q x)/16.
        // Per 8 weights: 2 shifts + 2 masks, then one permute and one FMA per weight.
        const uint32_t words[4] = {qs.x, qs.y, qs.z, qs.w};
        float lo = -s0, hi = -s1;
#pragma unroll
        for (int i = 0; i < 4; i++) {
            lo = window_dot4(low_nibbles_window(words[i]), x0, 4 * i, lo);
            hi = window_dot4(high_nibbles_window(words[i]), x1, 4 * i, hi);
        }
        return dsc0 * lo + dsc1 * hi;
    }

    // What the kernel body stages (x padded, its per-16 sums) and what a lane reads of it for one block.
    struct Staged {
        const float* xs;
        const float* xsum;
    };
    struct Runs {
        float x0[16], x1[16];
        float s0, s1, own;
    };

    // Stages x and its per-16 sums; returns where the split-K partials go.
    template <typename X>
    __device__ __forceinline__ static float* stage(const X& source, float4* shared, int cols, Staged& staged) {
        float* xs = reinterpret_cast<float*>(shared);
        float* xsum = xs + cols + cols / 16;
        stage_x(source, xs, cols, [](int k) { return xs_index(k); });
        __syncthreads();
        for (int g = threadIdx.x; g < cols / 16; g += blockDim.x) {
            const float* run = xs + xs_index(16 * g);
            float s = 0.0f;
#pragma unroll
            for (int i = 0; i < 16; i++) s += run[i];
            xsum[g] = s;
        }
        __syncthreads();
        staged = Staged{xs, xsum};
        return xsum + cols / 16;
    }

    // Lane p's runs of the block starting at element `at`, their sums, and the sum of x over sub-block p
    // (for the min term of the scale pair this lane decodes).
    __device__ __forceinline__ static void runs(const Staged& x, int at, int p, Runs& r) {
        const int r0 = run0(p), r1 = run1(p);
        load_run16(x.xs + xs_index(at + r0), r.x0);
        load_run16(x.xs + xs_index(at + r1), r.x1);
        r.s0 = x.xsum[(at + r0) >> 4];
        r.s1 = x.xsum[(at + r1) >> 4];
        r.own = x.xsum[(at >> 4) + 2 * p] + x.xsum[(at >> 4) + 2 * p + 1];
    }

    // This lane's part of one row's block: the warp's group of 8 lanes sums to the block's dot product.
    __device__ __forceinline__ static float row(const uint4& head, const uint4& qs, const Runs& x, const ScalePick& pick,
                                                int p) {
        float dsc, dm;
        scales(head, pick, dsc, dm);
        const float dsc0 = __shfl_sync(0xffffffffu, dsc, p & 6, 8);
        const float dsc1 = __shfl_sync(0xffffffffu, dsc, (p & 6) | 1, 8);
        return dot(qs, x.x0, x.x1, x.s0, x.s1, dsc0, dsc1) - dm * x.own;
    }
};

// q4_K against int8 x (matvec_x8_stage.cuh): the same lanes, loads and scale decoding as Q4KSuperBlock,
// but each lane's 32 nibbles are masked into bytes and dotted with the int8 runs by dp4a (8 per lane and
// block instead of 32 permutes and 32 FMAs; 16 with two levels). Lane p's low nibbles meet record 2j's
// half p&1 (j = p/2), its high nibbles record 2j+1's same half; lane p also reads record p's scale and
// d sum(q), so it folds x's scale into the scale it decodes (d sc_p dx_p, shuffled to the lanes that need
// it) and adds sub-block p's min term dmin m_p sum(x^) over the quantized x (matvec_x8_stage.cuh says
// why). The eight lanes' 16-byte reads of a group fall on distinct banks (record stride 48 or 80 bytes).
template <int LEVELS>
struct Q4KSuperBlockX8 {
    static constexpr int BYTES = 144;
    static constexpr int INT4S = x8_record_int4s<LEVELS>();
    typedef Q4KSuperBlock::ScalePick ScalePick;

    __device__ __forceinline__ static void load(const uint8_t* block, int p, uint4& head, uint4& qs) {
        Q4KSuperBlock::load(block, p, head, qs);
    }
    __device__ __forceinline__ static ScalePick pick(int p) { return Q4KSuperBlock::pick(p); }

    struct Staged {
        const int4* rec;
    };
    struct Runs {
        int4 q0, q1;  // this lane's halves of q (two levels: of h) for its low and high nibbles
        int4 l0, l1;  // two levels: the same halves of l
        float dx, own;
    };

    // perThread: stage_x8's.
    template <typename X>
    __device__ __forceinline__ static float* stage(const X& source, float4* shared, int cols, Staged& staged,
                                                   int perThread = 1) {
        int4* rec = reinterpret_cast<int4*>(shared);
        stage_x8<LEVELS>(source, rec, cols, perThread);
        __syncthreads();
        staged = Staged{rec};
        return reinterpret_cast<float*>(rec + INT4S * (cols >> 5));
    }

    __device__ __forceinline__ static void runs(const Staged& x, int at, int p, Runs& r) {
        const int u = (at >> 5) + (p & 6);
        r.q0 = x.rec[INT4S * u + (p & 1)];
        r.q1 = x.rec[INT4S * (u + 1) + (p & 1)];
        if constexpr (LEVELS == 2) {
            r.l0 = x.rec[INT4S * u + 2 + (p & 1)];
            r.l1 = x.rec[INT4S * (u + 1) + 2 + (p & 1)];
        }
        const X8Meta m = x8_meta<LEVELS>(x.rec, (at >> 5) + p);
        r.dx = m.d;
        r.own = m.sum;
    }


    __device__ __forceinline__ static float row(const uint4& head, const uint4& qs, const Runs& x, const ScalePick& pick,
                                                int p) {
        float dsc, dm;
        Q4KSuperBlock::scales(head, pick, dsc, dm);
        // scales() returns 16 d sc (the float window's 1/16); the int dot needs d sc.
        const float f = 0.0625f * dsc * x.dx;
        const float f0 = __shfl_sync(0xffffffffu, f, p & 6, 8);
        const float f1 = __shfl_sync(0xffffffffu, f, (p & 6) | 1, 8);
        const uint4 low = make_uint4(qs.x & 0x0F0F0F0Fu, qs.y & 0x0F0F0F0Fu, qs.z & 0x0F0F0F0Fu, qs.w & 0x0F0F0F0Fu);
        const uint4 high = make_uint4((qs.x >> 4) & 0x0F0F0F0Fu, (qs.y >> 4) & 0x0F0F0F0Fu, (qs.z >> 4) & 0x0F0F0F0Fu,
                                      (qs.w >> 4) & 0x0F0F0F0Fu);
        int lo = dp4a16(low.x, low.y, low.z, low.w, x.q0), hi = dp4a16(high.x, high.y, high.z, high.w, x.q1);
        if constexpr (LEVELS == 2) {
            lo = 256 * lo + dp4a16(low.x, low.y, low.z, low.w, x.l0);
            hi = 256 * hi + dp4a16(high.x, high.y, high.z, high.w, x.l1);
        }
        return f0 * (float) lo + f1 * (float) hi - dm * x.own;
    }
};

// Shared floats the super-block kernel needs for `cols` columns (x padded, per-16 sums, partials).
__host__ __device__ constexpr int matvec_sb_shared_floats(int cols) {
    return cols + cols / 16 + cols / 16 + MATVEC_SB_WARPS * MATVEC_SB_ROWS;
}

// One warp's weight registers for one step: each lane's header and quant chunk of MATVEC_SB_ROWS rows.
struct SuperBlockStep {
    uint4 head[MATVEC_SB_ROWS], qs[MATVEC_SB_ROWS];
};

// Loads lane p's part of block sb of rows row.. (rows past the last clamped to it, their results unused).
template <typename B, typename M>
__device__ __forceinline__ void load_step(const M& matrices, int row, int rows, int sb, int p, SuperBlockStep& s) {
#pragma unroll
    for (int r = 0; r < MATVEC_SB_ROWS; r++) {
        B::load(matrices.row(min(row + r, rows - 1)) + (size_t) sb * B::BYTES, p, s.head[r], s.qs[r]);
    }
}

// y = W x with ksplit warps sharing each group of MATVEC_SB_ROWS rows, each taking every ksplit-th
// group of four blocks; their partial sums meet in shared memory. ksplit divides MATVEC_SB_WARPS.
// W's rows and y come from `matrices` (matvec_rows.cuh), x from `source` (matvec_stage.cuh).
//
// Software-pipelined: a warp's steps (row group, four blocks) form one sequence across its row groups,
// and each step's loads are issued before the previous step's dot products, into the other of two
// register sets, so the memory bus has a step in flight while a warp computes (before, a warp issued two
// steps, waited, and computed both with nothing in flight). The first step is loaded before x is staged.
template <typename B, typename M, typename X>
__device__ __forceinline__ void matvec_superblocks(const M& matrices, const X& source, int rows, int cols, int ksplit) {
    extern __shared__ float4 shared4[];
    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE;
    const int group = lane >> 3, p = lane & 7;
    const int slice = warp % ksplit, rowGroup = warp / ksplit;
    const int rowsPerBlock = MATVEC_SB_WARPS / ksplit * MATVEC_SB_ROWS;
    const int rowStride = gridDim.x * rowsPerBlock;
    const int blocks = cols >> 8;
    const int stride = 4 * ksplit, firstStep = 4 * slice;

    // Lanes whose block lies past the row's end (cols not a multiple of 4 ksplit blocks) load nothing and
    // compute on stale registers, their results dropped: the warp stays converged for the shuffles.
    SuperBlockStep even = {}, odd = {};
    if (blockIdx.x * rowsPerBlock < rows && firstStep + group < blocks) {
        load_step<B>(matrices, blockIdx.x * rowsPerBlock + rowGroup * MATVEC_SB_ROWS, rows, firstStep + group, p, even);
    }
    pdl_begin();  // the first step's weights above may stream while the kernel before this one finishes
    typename B::Staged staged;
    float* partial = B::stage(source, shared4, cols, staged);

    const typename B::ScalePick pick = B::pick(p);
    for (int first = blockIdx.x * rowsPerBlock; first < rows; first += rowStride) {
        const int row = first + rowGroup * MATVEC_SB_ROWS;
        float acc[MATVEC_SB_ROWS];
#pragma unroll
        for (int r = 0; r < MATVEC_SB_ROWS; r++) acc[r] = 0.0f;

        // One step: load the warp's next step (this row group's next four blocks, else the next row
        // group's first) into `next`, then dot the blocks in `now` (block sb0 + group of each row) with x.
        auto step = [&](int sb0, const SuperBlockStep& now, SuperBlockStep& next) {
            const bool sameRows = sb0 + stride < blocks;
            const int nextSb = (sameRows ? sb0 + stride : firstStep) + group;
            if ((sameRows || first + rowStride < rows) && nextSb < blocks) {
                load_step<B>(matrices, sameRows ? row : row + rowStride, rows, nextSb, p, next);
            }
            const int sb = sb0 + group;
            typename B::Runs x;
            B::runs(staged, 256 * min(sb, blocks - 1), p, x);
#pragma unroll
            for (int r = 0; r < MATVEC_SB_ROWS; r++) {
                const float v = B::row(now.head[r], now.qs[r], x, pick, p);
                if (sb < blocks) acc[r] += v;
            }
        };
        // Two steps per iteration so that the register sets alternate without copies.
        for (int sb0 = firstStep; sb0 < blocks; sb0 += 2 * stride) {
            step(sb0, even, odd);
            if (sb0 + stride >= blocks) {
                even = odd;  // the next row group's first step was loaded into `odd`
                break;
            }
            step(sb0 + stride, odd, even);
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
