// Attention of new query tokens over an f16 KV cache, with grouped-query heads and split-K
// ("flash-decoding"): the positions are cut into chunks, one block per (head, chunk, token) computes a
// partial softmax-weighted sum with its own max and denominator, and attention_combine merges them.
//   q:      [tokens][heads][headDim] float32 (token t is at position startPos + t and sees 0..startPos+t)
//   k, v:   [ctx][kvHeads][headDim] f16 (as kv_store writes them)
//   partial:[tokens][heads][splits][headDim + 2] float32 (weighted sum, then max, then denominator)
//   out:    [tokens][heads][headDim] float32
// Dynamic shared memory: (headDim + chunk) floats.
#include "common.cuh"

extern "C" __global__ void attention_partial(const float* __restrict__ q, const half* __restrict__ k,
                                             const half* __restrict__ v, float* __restrict__ partial, int heads,
                                             int kvHeads, int headDim, int startPos, int chunk, float scale) {
    extern __shared__ float shared[];
    __shared__ float scratch[32];
    float* qs = shared;
    float* scores = shared + headDim;
    const int h = blockIdx.x, split = blockIdx.y, t = blockIdx.z, splits = gridDim.y;
    const int seqLen = startPos + t + 1;
    const int p0 = split * chunk, p1 = min(p0 + chunk, seqLen);
    float* part = partial + (((size_t) t * heads + h) * splits + split) * (headDim + 2);
    if (p0 >= p1) {
        for (int d = threadIdx.x; d < headDim; d += blockDim.x) part[d] = 0.0f;
        if (threadIdx.x == 0) {
            part[headDim] = -INFINITY;
            part[headDim + 1] = 0.0f;
        }
        return;
    }
    const float* qh = q + ((size_t) t * heads + h) * headDim;
    for (int d = threadIdx.x; d < headDim; d += blockDim.x) qs[d] = qh[d] * scale;
    __syncthreads();

    const int kvh = h / (heads / kvHeads);
    const size_t rowStride = (size_t) kvHeads * headDim;
    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE, warps = blockDim.x / WARP_SIZE;
    for (int p = p0 + warp; p < p1; p += warps) {
        const half2* kr = reinterpret_cast<const half2*>(k + p * rowStride + kvh * headDim);
        float dot = 0.0f;
        for (int d2 = lane; d2 < headDim / 2; d2 += WARP_SIZE) {
            const float2 kk = __half22float2(kr[d2]);
            dot = fmaf(kk.x, qs[2 * d2], dot);
            dot = fmaf(kk.y, qs[2 * d2 + 1], dot);
        }
        dot = warp_sum(dot);
        if (lane == 0) scores[p - p0] = dot;
    }
    __syncthreads();
    const int n = p1 - p0;
    float m = -INFINITY;
    for (int i = threadIdx.x; i < n; i += blockDim.x) m = fmaxf(m, scores[i]);
    m = block_max(m, scratch);
    float l = 0.0f;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        const float e = expf(scores[i] - m);
        scores[i] = e;
        l += e;
    }
    l = block_sum(l, scratch);  // its barriers also publish the scores written above
    const half* vh = v + (size_t) p0 * rowStride + kvh * headDim;
    for (int d = threadIdx.x; d < headDim; d += blockDim.x) {
        float acc = 0.0f;
        for (int i = 0; i < n; i++) acc = fmaf(scores[i], __half2float(vh[i * rowStride + d]), acc);
        part[d] = acc;
    }
    if (threadIdx.x == 0) {
        part[headDim] = m;
        part[headDim + 1] = l;
    }
}

extern "C" __global__ void attention_combine(const float* __restrict__ partial, float* __restrict__ out, int heads,
                                             int headDim, int splits) {
    const int h = blockIdx.x, t = blockIdx.y;
    const float* parts = partial + ((size_t) t * heads + h) * splits * (headDim + 2);
    float m = -INFINITY;
    for (int s = 0; s < splits; s++) m = fmaxf(m, parts[s * (headDim + 2) + headDim]);
    float l = 0.0f;
    for (int s = 0; s < splits; s++) {
        const float* p = parts + s * (headDim + 2);
        l += expf(p[headDim] - m) * p[headDim + 1];
    }
    const float inv = 1.0f / l;
    float* dst = out + ((size_t) t * heads + h) * headDim;
    for (int d = threadIdx.x; d < headDim; d += blockDim.x) {
        float acc = 0.0f;
        for (int s = 0; s < splits; s++) {
            const float* p = parts + s * (headDim + 2);
            acc = fmaf(expf(p[headDim] - m), p[d], acc);
        }
        dst[d] = acc * inv;
    }
}
