// KV-cache store: rounds tokens x rowLen float32 values (a layer's K or V for new tokens) to f16 and
// writes them into the cache rows [startPos, startPos + tokens) of a [capacity][rowLen] f16 cache.
// startPos is read from device memory, so one captured launch serves every decode position; rows at
// or beyond capacity are not written (a bad position cannot write past the cache).
#include "common.cuh"
#include "programmatic_launch.cuh"

extern "C" __global__ void kv_store(const float* __restrict__ src, half* __restrict__ cache, int rowLen,
                                    const int* __restrict__ startPos, int capacity, long long n) {
    pdl_begin();
    const long long first = (long long) *startPos * rowLen;
    const long long limit = (long long) capacity * rowLen;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        const long long at = first + i;
        if (at >= 0 && at < limit) cache[at] = __float2half_rn(src[i]);
    }
}
