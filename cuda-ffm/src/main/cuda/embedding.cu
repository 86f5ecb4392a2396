// Embedding lookup: out[t][:] = dequantized row ids[t] of the token-embedding matrix (any format of
// quant.cuh). One block per token; an id outside [0, vocab) writes NaN so the error cannot pass unseen.
// Float rows whose width is not a multiple of 32 are copied element by element (embedding_any_<type>),
// reading nothing past the row's end.
#include "quant.cuh"
#include "programmatic_launch.cuh"

template <typename W>
__device__ __forceinline__ void embedding(const uint8_t* __restrict__ w, long long rowBytes, const int* __restrict__ ids,
                                          float* __restrict__ out, int vocab, int cols) {
    const int t = blockIdx.x;
    const int id = ids[t];
    float4* dst = reinterpret_cast<float4*>(out + (size_t) t * cols);
    for (int u = threadIdx.x; u < (cols >> 5); u += blockDim.x) {
        float v[32];
        if (id >= 0 && id < vocab) {
            W::unit(w + (size_t) id * rowBytes, u, v);
        } else {
#pragma unroll
            for (int j = 0; j < 32; j++) v[j] = __int_as_float(0x7fc00000);
        }
#pragma unroll
        for (int i = 0; i < 8; i++) dst[u * 8 + i] = make_float4(v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]);
    }
}

#define EMBEDDING_KERNEL(name, W)                                                                          \
    extern "C" __global__ void name(const uint8_t* w, long long rowBytes, const int* ids, float* out, int vocab, \
                                    int cols) {                                                            \
        pdl_begin();                                                                                       \
        embedding<W>(w, rowBytes, ids, out, vocab, cols);                                                  \
    }

EMBEDDING_KERNEL(embedding_f32, WeightF32)
EMBEDDING_KERNEL(embedding_f16, WeightF16)
EMBEDDING_KERNEL(embedding_bf16, WeightBF16)
EMBEDDING_KERNEL(embedding_q8_0, WeightQ8_0)
EMBEDDING_KERNEL(embedding_q4_0, WeightQ4_0)
EMBEDDING_KERNEL(embedding_q4_k, WeightQ4_K)
EMBEDDING_KERNEL(embedding_q5_k, WeightQ5_K)
EMBEDDING_KERNEL(embedding_q6_k, WeightQ6_K)

template <typename W>
__device__ __forceinline__ void embedding_any_width(const uint8_t* __restrict__ w, long long rowBytes,
                                                    const int* __restrict__ ids, float* __restrict__ out, int vocab,
                                                    int cols) {
    const int t = blockIdx.x;
    const int id = ids[t];
    float* dst = out + (size_t) t * cols;
    const bool known = id >= 0 && id < vocab;
    for (int k = threadIdx.x; k < cols; k += blockDim.x) {
        dst[k] = known ? W::element(w + (size_t) id * rowBytes, k) : __int_as_float(0x7fc00000);
    }
}

#define EMBEDDING_ANY_WIDTH_KERNEL(name, W)                                                                \
    extern "C" __global__ void name(const uint8_t* w, long long rowBytes, const int* ids, float* out, int vocab, \
                                    int cols) {                                                            \
        pdl_begin();                                                                                       \
        embedding_any_width<W>(w, rowBytes, ids, out, vocab, cols);                                        \
    }

EMBEDDING_ANY_WIDTH_KERNEL(embedding_any_f32, WeightF32)
EMBEDDING_ANY_WIDTH_KERNEL(embedding_any_f16, WeightF16)
EMBEDDING_ANY_WIDTH_KERNEL(embedding_any_bf16, WeightBF16)
