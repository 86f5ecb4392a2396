// One token's attention over an f16 KV cache ("flash-decoding" for decode): one block per (kv head,
// span of positions) computes a partial softmax-weighted sum for all G query heads of that kv head's
// group, so each K and V row is read once per group rather than once per query head.
//   q:       [heads][headDim] float32, heads = kvHeads * G, query head h uses kv head h / G
//   k, v:    [ctx][kvHeads][headDim] f16 (as kv_store / rope_qk_store write them), 16-byte aligned rows
//   partial: [heads][splits][headDim + 2] float32 (weighted sum, then max, then denominator)
//   out:     [heads][headDim] float32
// The position is read from device memory and the spans are sized from it on the device, so one captured
// launch (its split count fixed by the longest context) serves every decode position; spans past the
// sequence mark themselves empty (max -inf). headDim is a power of two from 8 to 256: a row is read as
// headDim / 8 lanes x 16 bytes, and a warp takes 32 / (headDim / 8) rows per step, UNROLL steps of K and
// V loads in flight before any is used. Each lane keeps its own online softmax (max, denominator, 8
// output columns per head); the block merges its lanes' states through shared memory at the end.
#include "common.cuh"
#include "programmatic_launch.cuh"
#include "rope_pair.cuh"

#define DECODE_WARPS 4
#define DECODE_THREADS (DECODE_WARPS * WARP_SIZE)
// Attention.DECODE_MAX_SPLITS: spans per kv head at most
#define DECODE_MAX_SPLITS 64

__device__ __forceinline__ void f16x8_to_float(const uint4 raw, float* f) {
    const half2* h = reinterpret_cast<const half2*>(&raw);
#pragma unroll
    for (int i = 0; i < 4; i++) {
        const float2 x = __half22float2(h[i]);
        f[2 * i] = x.x;
        f[2 * i + 1] = x.y;
    }
}

// The query columns a thread holds: headDim / 8 lanes read a row, 16 bytes each, lane l columns (l % (headDim / 8)) * 8..
__device__ __forceinline__ int decode_sub(int headDim) { return (threadIdx.x % WARP_SIZE) % (headDim / 8); }

// A span with no position of the sequence: max -inf, so the merge gives it no weight.
template <int G>
__device__ __forceinline__ void mark_span_empty(float* __restrict__ partial, int kvh, int split, int splits, int headDim) {
    if (threadIdx.x < G) {
        float* part = partial + ((size_t) (kvh * G + threadIdx.x) * splits + split) * (headDim + 2);
        part[headDim] = -INFINITY;
        part[headDim + 1] = 0.0f;
    }
}

// 16 bytes of a cache row. COHERENT: through the L1 like any load, for a kernel that stored some of the rows
// it reads (the read-only path may serve data older than this kernel's own stores); otherwise read-only.
template <bool COHERENT>
__device__ __forceinline__ uint4 load_row16(const half* p) {
    if (COHERENT) return *reinterpret_cast<const uint4*>(p);
    return __ldg(reinterpret_cast<const uint4*>(p));
}

// The partial of positions [p0, p1) (not empty) for the G query heads of kv head kvh, whose query columns
// sub * 8 .. sub * 8 + 7 this thread holds in qr, already scaled.
template <int G, int UNROLL, bool COHERENT>
__device__ __forceinline__ void attention_decode_span(const float (&qr)[G][8], const half* k, const half* v,
                                                      float* __restrict__ partial, int kvh, int split, int splits,
                                                      int p0, int p1, int kvHeads, int headDim) {
    // lane state of every (warp, row slot): G maxima, G denominators, G x headDim weighted sums
    __shared__ float sMax[DECODE_THREADS][G];
    __shared__ float sSum[DECODE_THREADS][G];
    __shared__ float sAcc[DECODE_THREADS * 8 * G];
    const int lanesPerRow = headDim / 8;  // power of two, 1..32
    const int slotsPerWarp = WARP_SIZE / lanesPerRow;
    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE;
    const int sub = lane % lanesPerRow, slotInWarp = lane / lanesPerRow, slot = warp * slotsPerWarp + slotInWarp;
    const int rowsPerStep = DECODE_WARPS * slotsPerWarp;
    const size_t rowStride = (size_t) kvHeads * headDim;
    const half* kh = k + (size_t) kvh * headDim + sub * 8;
    const half* vh = v + (size_t) kvh * headDim + sub * 8;
    float m[G], l[G], acc[G][8];
#pragma unroll
    for (int g = 0; g < G; g++) {
        m[g] = -INFINITY;
        l[g] = 0.0f;
#pragma unroll
        for (int e = 0; e < 8; e++) acc[g][e] = 0.0f;
    }
    // the loop is uniform over the warp (its shuffles need every lane); rows past the span score -inf
    for (int warpBase = p0 + warp * slotsPerWarp; warpBase < p1; warpBase += UNROLL * rowsPerStep) {
        const int base = warpBase + slotInWarp;
        uint4 kraw[UNROLL], vraw[UNROLL];
#pragma unroll
        for (int u = 0; u < UNROLL; u++) {
            const int p = base + u * rowsPerStep;
            if (p < p1) {
                kraw[u] = load_row16<COHERENT>(kh + (size_t) p * rowStride);
                vraw[u] = load_row16<COHERENT>(vh + (size_t) p * rowStride);
            } else {
                kraw[u] = make_uint4(0, 0, 0, 0);
                vraw[u] = make_uint4(0, 0, 0, 0);
            }
        }
        float s[UNROLL][G];
#pragma unroll
        for (int u = 0; u < UNROLL; u++) {
            float kf[8];
            f16x8_to_float(kraw[u], kf);
#pragma unroll
            for (int g = 0; g < G; g++) {
                float d = 0.0f;
#pragma unroll
                for (int e = 0; e < 8; e++) d = fmaf(kf[e], qr[g][e], d);
                s[u][g] = d;
            }
        }
        // Sum each score over the lanes of its row (aligned groups of lanesPerRow lanes), one level at a time
        // for all UNROLL x G scores: their shuffles overlap. (A level loop per score made UNROLL x G
        // dependent chains of log2(lanesPerRow) shuffles in a row, the longest part of a step.)
        for (int off = lanesPerRow / 2; off > 0; off >>= 1) {
#pragma unroll
            for (int u = 0; u < UNROLL; u++) {
#pragma unroll
                for (int g = 0; g < G; g++) s[u][g] += __shfl_xor_sync(0xffffffffu, s[u][g], off);
            }
        }
#pragma unroll
        for (int u = 0; u < UNROLL; u++) {
#pragma unroll
            for (int g = 0; g < G; g++) s[u][g] = base + u * rowsPerStep < p1 ? s[u][g] : -INFINITY;
        }
        float vf[UNROLL][8];
#pragma unroll
        for (int u = 0; u < UNROLL; u++) f16x8_to_float(vraw[u], vf[u]);
#pragma unroll
        for (int g = 0; g < G; g++) {
            float mNew = m[g];
#pragma unroll
            for (int u = 0; u < UNROLL; u++) mNew = fmaxf(mNew, s[u][g]);
            // -inf only while this slot has seen no row of the span: then nothing changes
            const float mRef = mNew == -INFINITY ? 0.0f : mNew;
            const float correction = expf(m[g] - mRef);  // 0 while m is -inf
            float w[UNROLL];
            float sum = 0.0f;
#pragma unroll
            for (int u = 0; u < UNROLL; u++) {
                w[u] = expf(s[u][g] - mRef);  // 0 for rows past the span
                sum += w[u];
            }
            l[g] = fmaf(l[g], correction, sum);
#pragma unroll
            for (int e = 0; e < 8; e++) {
                float a = acc[g][e] * correction;
#pragma unroll
                for (int u = 0; u < UNROLL; u++) a = fmaf(w[u], vf[u][e], a);
                acc[g][e] = a;
            }
            m[g] = mNew;
        }
    }
    // publish this lane's state; lanes of one row slot share m and l (all of them computed the same scores)
    if (sub == 0) {
#pragma unroll
        for (int g = 0; g < G; g++) {
            sMax[slot][g] = m[g];
            sSum[slot][g] = l[g];
        }
    }
#pragma unroll
    for (int g = 0; g < G; g++) {
#pragma unroll
        for (int e = 0; e < 8; e++) sAcc[((size_t) slot * G + g) * headDim + sub * 8 + e] = acc[g][e];
    }
    __syncthreads();
    // Each slot's weight exp(m_slot - m_all) once per (slot, head) (0 for a slot that saw no row of the
    // span), so the merge below is plain FMAs: before, every output column recomputed all of them in a
    // dependent chain of exps.
    const int slots = rowsPerStep;
    if (threadIdx.x < G) {
        const int g = threadIdx.x;
        float mAll = -INFINITY;
        for (int r = 0; r < slots; r++) mAll = fmaxf(mAll, sMax[r][g]);
        float sum = 0.0f;
        for (int r = 0; r < slots; r++) {
            const float mr = sMax[r][g];
            const float c = mr == -INFINITY ? 0.0f : expf(mr - mAll);
            sMax[r][g] = c;
            sum = fmaf(c, sSum[r][g], sum);
        }
        float* part = partial + ((size_t) (kvh * G + g) * splits + split) * (headDim + 2);
        part[headDim] = mAll;
        part[headDim + 1] = sum;
    }
    __syncthreads();
    for (int idx = threadIdx.x; idx < G * headDim; idx += DECODE_THREADS) {
        const int g = idx / headDim, d = idx % headDim;
        float a = 0.0f;
        for (int r = 0; r < slots; r++) a = fmaf(sMax[r][g], sAcc[((size_t) r * G + g) * headDim + d], a);
        partial[((size_t) (kvh * G + g) * splits + split) * (headDim + 2) + d] = a;
    }
}

// The positions of this block's span: a sequence of seqLen = min(pos + 1, maxEnd) cut into gridDim.y spans of at
// least minSpan; [p0, p1) is empty for spans past its end.
struct DecodeSpan {
    int seqLen, span, p0, p1;
    __device__ __forceinline__ DecodeSpan(int pos, int maxEnd, int minSpan) {
        seqLen = min(pos + 1, maxEnd);
        span = max((seqLen + (int) gridDim.y - 1) / (int) gridDim.y, minSpan);
        p0 = blockIdx.y * span;
        p1 = min(p0 + span, seqLen);
    }
};

// The partials of one token: q from memory (already rotated), the cache rows already stored.
template <int G, int UNROLL>
__device__ __forceinline__ void attention_decode(const float* __restrict__ q, const half* __restrict__ k,
                                                 const half* __restrict__ v, float* __restrict__ partial,
                                                 const int* __restrict__ position, int maxEnd, int kvHeads,
                                                 int headDim, int minSpan, float scale) {
    const int kvh = blockIdx.x, split = blockIdx.y, splits = gridDim.y;
    const DecodeSpan sp(*position, maxEnd, minSpan);
    const int p0 = sp.p0, p1 = sp.p1;
    if (p0 >= p1) {  // uniform over the block: no barrier is skipped by some threads only
        mark_span_empty<G>(partial, kvh, split, splits, headDim);
        return;
    }
    const int sub = decode_sub(headDim);
    float qr[G][8];
#pragma unroll
    for (int g = 0; g < G; g++) {
        const float4* qh = reinterpret_cast<const float4*>(q + (size_t) (kvh * G + g) * headDim + sub * 8);
        const float4 a = qh[0], b = qh[1];
        qr[g][0] = a.x * scale; qr[g][1] = a.y * scale; qr[g][2] = a.z * scale; qr[g][3] = a.w * scale;
        qr[g][4] = b.x * scale; qr[g][5] = b.y * scale; qr[g][6] = b.z * scale; qr[g][7] = b.w * scale;
    }
    attention_decode_span<G, UNROLL, false>(qr, k, v, partial, kvh, split, splits, p0, p1, kvHeads, headDim);
}

#define ATTENTION_DECODE(G, UNROLL)                                                                                   \
    extern "C" __global__ void __launch_bounds__(DECODE_THREADS) attention_decode_g##G(                              \
        const float* __restrict__ q, const half* __restrict__ k, const half* __restrict__ v,                        \
        float* __restrict__ partial, const int* __restrict__ position, int maxEnd, int kvHeads, int headDim,         \
        int minSpan, float scale) {                                                                                  \
        pdl_begin();                                                                                                 \
        attention_decode<G, UNROLL>(q, k, v, partial, position, maxEnd, kvHeads, headDim, minSpan, scale);          \
    }

ATTENTION_DECODE(1, 4)
ATTENTION_DECODE(2, 4)
ATTENTION_DECODE(4, 4)
ATTENTION_DECODE(8, 2)

// Merges the spans of one query head: the weight of each span (exp(max_s - max) over the total
// denominator) computed once into shared memory, then one output column per thread.
extern "C" __global__ void __launch_bounds__(DECODE_THREADS) attention_decode_combine(
    const float* __restrict__ partial, float* __restrict__ out, int headDim, int splits) {
    pdl_begin();
    extern __shared__ float weights[];  // [splits]
    __shared__ float scratch[32];
    const int h = blockIdx.x;
    const float* parts = partial + (size_t) h * splits * (headDim + 2);
    float mLocal = -INFINITY;
    for (int s = threadIdx.x; s < splits; s += blockDim.x) mLocal = fmaxf(mLocal, parts[(size_t) s * (headDim + 2) + headDim]);
    const float m = block_max(mLocal, scratch);
    float* dst = out + (size_t) h * headDim;
    if (m == -INFINITY) {  // no position at all (only for a position outside the context)
        for (int d = threadIdx.x; d < headDim; d += blockDim.x) dst[d] = 0.0f;
        return;
    }
    float lLocal = 0.0f;
    for (int s = threadIdx.x; s < splits; s += blockDim.x) {
        const float* p = parts + (size_t) s * (headDim + 2);
        const float c = p[headDim] == -INFINITY ? 0.0f : expf(p[headDim] - m);
        weights[s] = c;
        lLocal = fmaf(c, p[headDim + 1], lLocal);
    }
    const float inv = 1.0f / block_sum(lLocal, scratch);  // its barriers also publish the weights
    for (int d = threadIdx.x; d < headDim; d += blockDim.x) {
        float acc = 0.0f;
        for (int s = 0; s < splits; s++) {
            const float c = weights[s];
            if (c != 0.0f) acc = fmaf(c, parts[(size_t) s * (headDim + 2) + d], acc);
        }
        dst[d] = acc * inv;
    }
}

// Merges the spans of one query head in one warp, with the same float operations in the same order as
// attention_decode_combine in a block of DECODE_THREADS (splits <= 2 x 32): its block_sum adds warp 0's
// tree (spans 0..31) to warp 1's (spans 32..63), the other warps adding zeros, and each column's spans are
// added in order. Here the weighted sums of the spans are loaded eight at a time and kept by a select (the
// combine's branch per span left one dependent load per span); the loads of empty spans read whatever
// the workspace holds and are dropped.
__device__ __forceinline__ void combine_head_in_warp(const float* parts, float* __restrict__ dst, int headDim,
                                                     int splits, float* weights) {
    const int lane = threadIdx.x % WARP_SIZE;
    const size_t stride = (size_t) headDim + 2;
    float mLocal = -INFINITY;
    for (int s = lane; s < splits; s += WARP_SIZE) mLocal = fmaxf(mLocal, __ldcg(parts + s * stride + headDim));
    const float m = warp_max(mLocal);
    if (m == -INFINITY) {
        for (int d = lane; d < headDim; d += WARP_SIZE) dst[d] = 0.0f;
        return;
    }
    float lLow = 0.0f, lHigh = 0.0f;
    for (int s = lane; s < splits; s += WARP_SIZE) {
        const float ms = __ldcg(parts + s * stride + headDim);
        const float c = ms == -INFINITY ? 0.0f : expf(ms - m);
        weights[s] = c;
        const float term = fmaf(c, __ldcg(parts + s * stride + headDim + 1), 0.0f);
        if (s < WARP_SIZE) lLow = term; else lHigh = term;
    }
    const float inv = 1.0f / (warp_sum(lLow) + warp_sum(lHigh));
    __syncwarp();
    for (int d = lane; d < headDim; d += WARP_SIZE) {
        float acc = 0.0f;
        int s = 0;
        for (; s + 8 <= splits; s += 8) {
            float x[8];
#pragma unroll
            for (int j = 0; j < 8; j++) x[j] = __ldcg(parts + (s + j) * stride + d);
#pragma unroll
            for (int j = 0; j < 8; j++) {
                const float c = weights[s + j];
                acc = c != 0.0f ? fmaf(c, x[j], acc) : acc;
            }
        }
        for (; s < splits; s++) {
            const float c = weights[s];
            const float x = __ldcg(parts + s * stride + d);
            acc = c != 0.0f ? fmaf(c, x, acc) : acc;
        }
        dst[d] = acc * inv;
    }
}

// One token's whole attention in one launch: what rope_qk_store, attention_decode_g<G> and
// attention_decode_combine do in three, with the same float operations, so the same bits.
//   q, kNew: this token's query and key rows before RoPE, [heads][headDim] and [kvHeads][headDim] float32
//   vNew:    its value row, [kvHeads][headDim] float32
//   arrivals: one counter per kv head, zero before the first launch; each launch leaves them zero
// The block whose span holds the position rotates and stores that row's key and value for its kv head (block
// 0 where no span holds it: a position at or past maxEnd), then reads it back with its span, so no other
// block waits for the store. Every block rotates its own G query heads' columns in registers. A block that
// has written its partial counts itself in; the last of its kv head to arrive merges that head group's
// partials, so the merge costs no kernel boundary. A block's partial reaches the last one through
// __threadfence before the count; the last one reads partials through the L2 (__ldcg).
template <int G, int UNROLL>
__device__ __forceinline__ void attention_decode_step(const float* __restrict__ q, const float* __restrict__ kNew,
                                                      const float* __restrict__ vNew, half* keyCache, half* valueCache,
                                                      float* __restrict__ partial, float* __restrict__ out,
                                                      unsigned int* __restrict__ arrivals,
                                                      const int* __restrict__ position,
                                                      const float* __restrict__ freqFactors, int maxEnd, int capacity,
                                                      int kvHeads, int headDim, int minSpan, float scale,
                                                      float ropeBase) {
    __shared__ float weights[DECODE_WARPS][DECODE_MAX_SPLITS];
    __shared__ bool lastToArrive;
    const int kvh = blockIdx.x, split = blockIdx.y, splits = gridDim.y;
    const int pos = *position;
    const DecodeSpan sp(pos, maxEnd, minSpan);
    const int p0 = sp.p0, p1 = sp.p1;
    const int owner = pos < sp.seqLen ? pos / sp.span : 0;
    if (split == owner && pos >= 0 && pos < capacity) {  // uniform over the block
        const size_t row = ((size_t) pos * kvHeads + kvh) * headDim;
        const float* kh = kNew + (size_t) kvh * headDim;
        const float* vh = vNew + (size_t) kvh * headDim;
        for (int i = threadIdx.x; i < headDim / 2; i += blockDim.x) {
            float x0, x1;
            rope_rotate(kh[2 * i], kh[2 * i + 1], (float) pos, i, headDim, freqFactors, ropeBase, x0, x1);
            keyCache[row + 2 * i] = __float2half_rn(x0);
            keyCache[row + 2 * i + 1] = __float2half_rn(x1);
        }
        for (int i = threadIdx.x; i < headDim; i += blockDim.x) valueCache[row + i] = __float2half_rn(vh[i]);
        __syncthreads();
    }
    if (p0 >= p1) {  // uniform over the block
        mark_span_empty<G>(partial, kvh, split, splits, headDim);
    } else {
        const int sub = decode_sub(headDim);
        float sn[4], cs[4];
#pragma unroll
        for (int j = 0; j < 4; j++) rope_angle((float) pos, sub * 4 + j, headDim, freqFactors, ropeBase, sn[j], cs[j]);
        float qr[G][8];
#pragma unroll
        for (int g = 0; g < G; g++) {
            const float4* qh = reinterpret_cast<const float4*>(q + (size_t) (kvh * G + g) * headDim + sub * 8);
            const float4 a = qh[0], b = qh[1];
            const float raw[8] = {a.x, a.y, a.z, a.w, b.x, b.y, b.z, b.w};
#pragma unroll
            for (int j = 0; j < 4; j++) {
                float x0, x1;
                rope_apply(raw[2 * j], raw[2 * j + 1], sn[j], cs[j], x0, x1);
                qr[g][2 * j] = x0 * scale;
                qr[g][2 * j + 1] = x1 * scale;
            }
        }
        attention_decode_span<G, UNROLL, true>(qr, keyCache, valueCache, partial, kvh, split, splits, p0, p1, kvHeads,
                                               headDim);
    }
    // The next kernel (the o projection's ring) launches once every block is here, so its blocks prime their
    // weights while the last blocks merge. Triggered at the start instead, its blocks took room and bytes from the
    // partials: the chain before o grew from 14.9 to 18.5 us per layer, decode 6 % slower (round 27).
    pdl_launch_dependents();
    __threadfence();
    __syncthreads();
    if (threadIdx.x == 0) {
        const unsigned int arrived = atomicAdd(arrivals + kvh, 1u) + 1u;
        lastToArrive = arrived == (unsigned int) splits;
        // every block of this kv head has counted itself in: none reads the counter again in this launch
        if (lastToArrive) atomicExch(arrivals + kvh, 0u);
    }
    __syncthreads();
    if (!lastToArrive) return;
    __threadfence();
    const int warp = threadIdx.x / WARP_SIZE;
    for (int g = warp; g < G; g += DECODE_WARPS) {
        const int h = kvh * G + g;
        combine_head_in_warp(partial + (size_t) h * splits * (headDim + 2), out + (size_t) h * headDim, headDim, splits,
                             weights[warp]);
    }
}

#define ATTENTION_DECODE_STEP(G, UNROLL)                                                                              \
    extern "C" __global__ void __launch_bounds__(DECODE_THREADS) attention_decode_step_g##G(                         \
        const float* __restrict__ q, const float* __restrict__ kNew, const float* __restrict__ vNew, half* keyCache, \
        half* valueCache, float* __restrict__ partial, float* __restrict__ out, unsigned int* __restrict__ arrivals, \
        const int* __restrict__ position, const float* __restrict__ freqFactors, int maxEnd, int capacity,           \
        int kvHeads, int headDim, int minSpan, float scale, float ropeBase) {                                        \
        pdl_wait();                                                                                                  \
        attention_decode_step<G, UNROLL>(q, kNew, vNew, keyCache, valueCache, partial, out, arrivals, position,     \
                                         freqFactors, maxEnd, capacity, kvHeads, headDim, minSpan, scale, ropeBase); \
    }

ATTENTION_DECODE_STEP(1, 4)
ATTENTION_DECODE_STEP(2, 4)
ATTENTION_DECODE_STEP(4, 4)
ATTENTION_DECODE_STEP(8, 2)
