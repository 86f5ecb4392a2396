// KV-cache store: rounds tokens x rowLen float32 values (a layer's K or V for new tokens) to f16 and
// writes them into the cache rows [startPos, startPos + tokens) of a [ctx][rowLen] f16 cache.
#include "common.cuh"

extern "C" __global__ void kv_store(const float* __restrict__ src, half* __restrict__ cache, int rowLen, int startPos,
                                    long long n) {
    half* dst = cache + (size_t) startPos * rowLen;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        dst[i] = __float2half_rn(src[i]);
    }
}
