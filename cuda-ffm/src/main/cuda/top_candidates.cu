// The best CANDIDATES logits of a vocabulary, best first, so that sampling needs only those on the host
// instead of the whole logits vector: llama.cpp's repeat penalty first (on the logits, in place), then a
// sort. Logits are ordered by a 64-bit key, (order-preserving int of the logit) << 32 | (INT_MAX - id),
// exactly as the host sampler packs them (Sampler.pack), so ties go to the lower id and the host can
// read the logit and the id back from the key.
//   candidates_penalize: logits[ids[i]] = l <= 0 ? l * penalty : l / penalty for the distinct ids of the
//     repeat window; also resets the NaN index that candidates_block lowers.
//   candidates_block: block b sorts the keys of logits [b * SLICE, (b + 1) * SLICE) in shared memory
//     (bitonic, descending) and writes its best CANDIDATES to partial; the lowest index of a NaN logit
//     goes to *nanIndex (INT_MAX when none).
//   candidates_merge: one block sorts the blocks' candidates and writes the best CANDIDATES to out.
#include "common.cuh"
#include "programmatic_launch.cuh"

#define CANDIDATES 64
#define SLICE 2048
#define BLOCK_THREADS 256
#define MERGE_KEYS 4096
#define MERGE_THREADS 1024
#define KEY_NONE ((long long) 0x8000000000000000ULL)  // below every logit's key, -inf included

__device__ __forceinline__ long long candidate_key(float logit, int id) {
    const int bits = __float_as_int(logit + 0.0f);  // + 0.0f turns -0.0 into 0.0, as the host does
    const int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
    return ((long long) sortable << 32) | (unsigned int) (0x7fffffff - id);
}

// Sorts keys[0..n) descending; n a power of two, every thread of the block calls it.
__device__ __forceinline__ void bitonic_sort_descending(long long* keys, int n) {
    for (int k = 2; k <= n; k <<= 1) {
        for (int j = k >> 1; j > 0; j >>= 1) {
            for (int i = threadIdx.x; i < n; i += blockDim.x) {
                const int partner = i ^ j;
                if (partner > i) {
                    const long long a = keys[i], b = keys[partner];
                    const bool descending = (i & k) == 0;
                    if (descending ? a < b : a > b) {
                        keys[i] = b;
                        keys[partner] = a;
                    }
                }
            }
            __syncthreads();
        }
    }
}

extern "C" __global__ void candidates_penalize(float* __restrict__ logits, const int* __restrict__ ids, int count,
                                               float penalty, int* __restrict__ nanIndex) {
    pdl_begin();
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i == 0) *nanIndex = 0x7fffffff;
    if (i < count) {
        const float l = logits[ids[i]];
        logits[ids[i]] = l <= 0.0f ? l * penalty : l / penalty;
    }
}

extern "C" __global__ void __launch_bounds__(BLOCK_THREADS) candidates_block(const float* __restrict__ logits, int n,
                                                                           long long* __restrict__ partial,
                                                                           int* __restrict__ nanIndex) {
    pdl_begin();
    __shared__ long long keys[SLICE];
    const int base = blockIdx.x * SLICE;
    int firstNan = 0x7fffffff;
    for (int i = threadIdx.x; i < SLICE; i += BLOCK_THREADS) {
        const int id = base + i;
        long long key = KEY_NONE;
        if (id < n) {
            const float l = logits[id];
            if (isnan(l)) {
                firstNan = min(firstNan, id);
            } else {
                key = candidate_key(l, id);
            }
        }
        keys[i] = key;
    }
    if (firstNan != 0x7fffffff) atomicMin(nanIndex, firstNan);
    __syncthreads();
    bitonic_sort_descending(keys, SLICE);
    for (int i = threadIdx.x; i < CANDIDATES; i += BLOCK_THREADS) partial[blockIdx.x * CANDIDATES + i] = keys[i];
}

extern "C" __global__ void __launch_bounds__(MERGE_THREADS) candidates_merge(const long long* __restrict__ partial,
                                                                           int count, long long* __restrict__ out) {
    pdl_begin();
    __shared__ long long keys[MERGE_KEYS];
    for (int i = threadIdx.x; i < MERGE_KEYS; i += MERGE_THREADS) keys[i] = i < count ? partial[i] : KEY_NONE;
    __syncthreads();
    bitonic_sort_descending(keys, MERGE_KEYS);
    for (int i = threadIdx.x; i < CANDIDATES; i += MERGE_THREADS) out[i] = keys[i];
}
