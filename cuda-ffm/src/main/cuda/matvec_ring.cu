// The q4_K and q6_K decode matvecs streaming their weights through a bulk-copy ring (matvec_ring.cuh), for one
// matrix or up to three of one width numbered one after another (matvec_rows.cuh): matvec_ring_<x><type> with x as
// int8 (x8_) or two int8 levels (x16_), the same x staging and per-block arithmetic as the register kernels (not for
// float x, whose q4_K consumers are issue-bound: with two thirds of the register kernel's warps they lost).
// Compute capability 9.0 and newer only: the compute_80 PTX keeps the entries (build-ptx.sh builds every .cu for
// both) with a trapping body, and RingMatVec never launches them there.
#include "common.cuh"
#include "programmatic_launch.cuh"
#include "matvec_x8_stage.cuh"
#include "matvec_ring.cuh"
#include "qkv_cache_store.cuh"

// x, or RMSNorm(x + add) * normWeight computed as x is staged (normWeight null: x as it is; matvec_ring_norm.cuh),
// x + add then written to xOut (null: not written); or x's records as an earlier kernel made them (records not
// null: swiglu_records.cu; x, add and normWeight then null)
#define RING_SOURCE_PARAMS const float *add, const float *normWeight, float *xOut, float eps, const int4 *records
#define RING_SOURCE RingSource{x, add, normWeight, xOut, eps, records}

// Every kernel's first parameters (up to three matrices of one format and width, matvec_rows.cuh, and x) and last
// ones (the ring's shape, RingMatVec.Shape, and the trace's stamps), in the order RingMatVec passes them.
#define RING_MATRICES_PARAMS                                                                                    \
    const uint8_t *w0, const uint8_t *w1, const uint8_t *w2, long long rowBytes, const float *x, float *y0,      \
        float *y1, float *y2, int rows0, int rows1, int rows2, int cols
#define RING_SHAPE_PARAMS \
    int stages, int ahead, int xBytes, int xPerThread, int evictFirst, unsigned long long *stamps
#define RING_SHAPE stages, ahead, xBytes, xPerThread, evictFirst, stamps
#define RING_THREE_MATRICES ThreeMatrices{w0, w1, w2, rowBytes, y0, y1, y2, rows0, rows0 + rows1}
// a q6_K matrix after the q4_K ones
#define RING_SECOND_PARAMS const uint8_t *wB, long long rowBytesB, float *yB, int rowsB

#define MATVEC_RING_KERNEL(name, C, BLOCK_ELEMENTS)                                                             \
    extern "C" __global__ void __launch_bounds__(RING_THREADS, 2)                                               \
        name(RING_MATRICES_PARAMS, RING_SOURCE_PARAMS, RING_SHAPE_PARAMS) {                                     \
        matvec_ring<C>(RING_THREE_MATRICES, NoMatrix{}, RING_SOURCE, rows0 + rows1 + rows2, 0, cols,            \
                       cols / BLOCK_ELEMENTS, RING_SHAPE);                                                      \
    }

// Up to three q4_K matrices and then one q6_K matrix of the same width (q, k and a q6_K v) in one launch:
// matvec_ring.cuh says why.
#define MATVEC_RING_Q4K_Q6K_KERNEL(name, LEVELS)                                                                \
    extern "C" __global__ void __launch_bounds__(RING_THREADS, 2)                                               \
        name(RING_MATRICES_PARAMS, RING_SOURCE_PARAMS, RING_SECOND_PARAMS, RING_SHAPE_PARAMS) {                 \
        matvec_ring<RingQ4K<LEVELS>, ThreeMatrices, RingQ6K<LEVELS>, OneMatrix>(                                \
            RING_THREE_MATRICES, OneMatrix{wB, rowBytesB, yB}, RING_SOURCE, rows0 + rows1 + rows2, rowsB, cols,  \
            cols / 256, RING_SHAPE);                                                                            \
    }

// One token's q, k and v (all q4_K), or its q and k before a q6_K v, with rope_qk_store's work done as the rows
// are stored (qkv_cache_store.cuh says why): q and k rotated, k and v also into the f16 caches at row positions[0].
#define TOKEN_CACHE_PARAMS                                                                                   \
    half *keyCache, half *valueCache, const int *positions, const float *freqFactors, int headDim, float base, \
        int capacity
// the table at the end of the x area (TokenCache.tableBytes)
#define TOKEN_CACHE                                                                                          \
    TokenCache {                                                                                             \
        keyCache, valueCache, positions, freqFactors, headDim, base, capacity,                               \
            RING_BARRIER_BYTES + xBytes - ((16 + 4 * headDim + 15) & ~15)                                    \
    }

#define MATVEC_RING_QKV_CACHE_KERNEL(name, LEVELS)                                                              \
    extern "C" __global__ void __launch_bounds__(RING_THREADS, 2)                                               \
        name(RING_MATRICES_PARAMS, RING_SOURCE_PARAMS, TOKEN_CACHE_PARAMS, RING_SHAPE_PARAMS) {                 \
        const RopedQkv m{RING_THREE_MATRICES, TOKEN_CACHE, rows2};                                              \
        matvec_ring<RingQ4K<LEVELS>>(m, NoMatrix{}, RING_SOURCE, rows0 + rows1 + rows2, 0, cols, cols / 256,    \
                                     RING_SHAPE);                                                               \
    }

#define MATVEC_RING_QK_V_CACHE_KERNEL(name, LEVELS)                                                             \
    extern "C" __global__ void __launch_bounds__(RING_THREADS, 2)                                               \
        name(RING_MATRICES_PARAMS, RING_SOURCE_PARAMS, RING_SECOND_PARAMS, TOKEN_CACHE_PARAMS,                  \
             RING_SHAPE_PARAMS) {                                                                               \
        const RopedQkv m{RING_THREE_MATRICES, TOKEN_CACHE, rows2};                                              \
        const CachedV b{OneMatrix{wB, rowBytesB, yB}, TOKEN_CACHE, rowsB};                                      \
        matvec_ring<RingQ4K<LEVELS>, RopedQkv, RingQ6K<LEVELS>, CachedV>(                                       \
            m, b, RING_SOURCE, rows0 + rows1 + rows2, rowsB, cols, cols / 256, RING_SHAPE);                     \
    }

MATVEC_RING_KERNEL(matvec_ring_x8_q4_k, RingQ4K<1>, 256)
MATVEC_RING_KERNEL(matvec_ring_x16_q4_k, RingQ4K<2>, 256)
MATVEC_RING_KERNEL(matvec_ring_x8_q6_k, RingQ6K<1>, 256)
MATVEC_RING_KERNEL(matvec_ring_x16_q6_k, RingQ6K<2>, 256)
MATVEC_RING_Q4K_Q6K_KERNEL(matvec_ring_x8_q4_k_q6_k, 1)
MATVEC_RING_Q4K_Q6K_KERNEL(matvec_ring_x16_q4_k_q6_k, 2)
MATVEC_RING_QKV_CACHE_KERNEL(matvec_ring_x8_q4_k_qkv_cache, 1)
MATVEC_RING_QKV_CACHE_KERNEL(matvec_ring_x16_q4_k_qkv_cache, 2)
MATVEC_RING_QK_V_CACHE_KERNEL(matvec_ring_x8_q4_k_q6_k_qkv_cache, 1)
MATVEC_RING_QK_V_CACHE_KERNEL(matvec_ring_x16_q4_k_q6_k_qkv_cache, 2)
