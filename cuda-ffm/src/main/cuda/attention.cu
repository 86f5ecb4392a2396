// Attention of new query tokens over an f16 KV cache, with grouped-query heads and split-K
// ("flash-decoding"): the positions a token sees are cut into gridDim.y spans, one block per
// (head, span, token) computes a partial softmax-weighted sum with its own max and denominator, and
// attention_combine merges them.
//   q:      [tokens][heads][headDim] float32 (token t is at position startPos + t and sees 0..startPos+t)
//   k, v:   [ctx][kvHeads][headDim] f16 (as kv_store writes them)
//   partial:[tokens][heads][splits][headDim + 2] float32 (weighted sum, then max, then denominator)
//   out:    [tokens][heads][headDim] float32
// startPos is read from device memory and the spans are sized from it on the device, so one captured
// launch (with the split count for the longest context) serves every decode position: spans are at
// least minSpan positions long, and the ones past the sequence only mark themselves empty (max -inf).
// A block walks its span in tiles of TILE positions with an online softmax, so any span length fits
// its shared memory. headDim is even and at most 256 (four half2 per lane, two outputs per thread).
#include "common.cuh"
#include "programmatic_launch.cuh"

#define TILE 256
#define UNROLL 4
#define MAX_HEAD_DIM 256

extern "C" __global__ void attention_partial(const float* __restrict__ q, const half* __restrict__ k,
                                             const half* __restrict__ v, float* __restrict__ partial,
                                             const int* __restrict__ startPos, int maxEnd, int heads,
                                             int kvHeads, int headDim, int minSpan, float scale) {
    pdl_begin();
    __shared__ float scores[TILE];
    __shared__ float scratch[32];
    const int h = blockIdx.x, split = blockIdx.y, t = blockIdx.z, splits = gridDim.y;
    const int seqLen = min(*startPos + t + 1, maxEnd);
    const int span = max((seqLen + splits - 1) / splits, minSpan);
    const int p0 = split * span, p1 = min(p0 + span, seqLen);
    float* part = partial + (((size_t) t * heads + h) * splits + split) * (headDim + 2);
    if (p0 >= p1) {
        if (threadIdx.x == 0) {
            part[headDim] = -INFINITY;
            part[headDim + 1] = 0.0f;
        }
        return;
    }
    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE, warps = blockDim.x / WARP_SIZE;
    const int half2s = headDim / 2;
    // this lane's query pairs d2 = lane + 32 j, pre-scaled
    const float2* qh = reinterpret_cast<const float2*>(q + ((size_t) t * heads + h) * headDim);
    float2 qr[MAX_HEAD_DIM / 64];
#pragma unroll
    for (int j = 0; j < MAX_HEAD_DIM / 64; j++) {
        const int d2 = lane + WARP_SIZE * j;
        const float2 x = d2 < half2s ? qh[d2] : make_float2(0.0f, 0.0f);
        qr[j] = make_float2(x.x * scale, x.y * scale);
    }
    const int kvh = h / (heads / kvHeads);
    const size_t rowStride = (size_t) kvHeads * headDim;
    const half* kh = k + kvh * headDim;
    const half* vh = v + kvh * headDim;

    float m = -INFINITY, l = 0.0f;
    float acc[MAX_HEAD_DIM / 128] = {0.0f, 0.0f};
    for (int tile = p0; tile < p1; tile += TILE) {
        const int n = min(TILE, p1 - tile);
        // scores: each warp takes UNROLL positions at a time so that their loads are in flight together
        for (int base = warp * UNROLL; base < n; base += warps * UNROLL) {
            float dot[UNROLL];
#pragma unroll
            for (int u = 0; u < UNROLL; u++) {
                dot[u] = 0.0f;
                if (base + u < n) {
                    const half2* kr = reinterpret_cast<const half2*>(kh + (size_t) (tile + base + u) * rowStride);
#pragma unroll
                    for (int j = 0; j < MAX_HEAD_DIM / 64; j++) {
                        const int d2 = lane + WARP_SIZE * j;
                        if (d2 < half2s) {
                            const float2 kk = __half22float2(kr[d2]);
                            dot[u] = fmaf(kk.x, qr[j].x, fmaf(kk.y, qr[j].y, dot[u]));
                        }
                    }
                }
            }
#pragma unroll
            for (int u = 0; u < UNROLL; u++) {
                const float s = warp_sum(dot[u]);
                if (lane == 0 && base + u < n) scores[base + u] = s;
            }
        }
        __syncthreads();
        float tileMax = -INFINITY;
        for (int i = threadIdx.x; i < n; i += blockDim.x) tileMax = fmaxf(tileMax, scores[i]);
        const float mNew = fmaxf(m, block_max(tileMax, scratch));
        const float correction = expf(m - mNew);  // 0 on the first tile (m = -inf)
        float tileSum = 0.0f;
        for (int i = threadIdx.x; i < n; i += blockDim.x) {
            const float e = expf(scores[i] - mNew);
            scores[i] = e;
            tileSum += e;
        }
        l = l * correction + block_sum(tileSum, scratch);  // its barriers also publish the scores written above
#pragma unroll
        for (int j = 0; j < MAX_HEAD_DIM / 128; j++) {
            const int d = threadIdx.x + blockDim.x * j;
            if (d < headDim) {
                const half* vd = vh + (size_t) tile * rowStride + d;
                float a = acc[j] * correction;
#pragma unroll 8
                for (int i = 0; i < n; i++) a = fmaf(scores[i], __half2float(vd[i * rowStride]), a);
                acc[j] = a;
            }
        }
        m = mNew;
        __syncthreads();  // every thread is done with this tile's scores before the next tile writes them
    }
#pragma unroll
    for (int j = 0; j < MAX_HEAD_DIM / 128; j++) {
        const int d = threadIdx.x + blockDim.x * j;
        if (d < headDim) part[d] = acc[j];
    }
    if (threadIdx.x == 0) {
        part[headDim] = m;
        part[headDim + 1] = l;
    }
}

// Merges the spans of one (head, token); empty spans (max -inf, weighted sum never written) are skipped.
extern "C" __global__ void attention_combine(const float* __restrict__ partial, float* __restrict__ out, int heads,
                                             int headDim, int splits) {
    pdl_begin();
    const int h = blockIdx.x, t = blockIdx.y;
    const float* parts = partial + ((size_t) t * heads + h) * splits * (headDim + 2);
    float m = -INFINITY;
    for (int s = 0; s < splits; s++) m = fmaxf(m, parts[s * (headDim + 2) + headDim]);
    float* dst = out + ((size_t) t * heads + h) * headDim;
    if (m == -INFINITY) {  // no position at all (only for a start position outside the context)
        for (int d = threadIdx.x; d < headDim; d += blockDim.x) dst[d] = 0.0f;
        return;
    }
    float l = 0.0f;
    for (int s = 0; s < splits; s++) {
        const float* p = parts + s * (headDim + 2);
        if (p[headDim] != -INFINITY) l += expf(p[headDim] - m) * p[headDim + 1];
    }
    const float inv = 1.0f / l;
    for (int d = threadIdx.x; d < headDim; d += blockDim.x) {
        float acc = 0.0f;
        for (int s = 0; s < splits; s++) {
            const float* p = parts + s * (headDim + 2);
            if (p[headDim] != -INFINITY) acc = fmaf(expf(p[headDim] - m), p[d], acc);
        }
        dst[d] = acc * inv;
    }
}
