// Matrix-matrix product for prefill on quantized weights, on the tensor cores:
// Y[t][r] = sum_k X[t][k] * W[r][k], X and Y float32 (token-major), W in a format of quant.cuh.
// Block tile: MATMUL_BM weight rows x MATMUL_BN tokens, k in steps of 32. Half the threads dequantize
// one 32-element unit of a weight row each into an f16 tile, the other half convert a token's 32
// activations to f16; four warps then run 16x16x16 mma.sync (wmma) with float32 accumulators.
#include <mma.h>
#include "quant.cuh"

#define MATMUL_BM 64
#define MATMUL_BN 64
#define MATMUL_BK 32
#define MATMUL_THREADS 128

using namespace nvcuda;

template <typename W>
__device__ __forceinline__ void matmul(const uint8_t* __restrict__ w, long long rowBytes, const float* __restrict__ x,
                                       float* __restrict__ y, int rows, int cols, int tokens) {
    constexpr int LD = MATMUL_BK + 8;   // halves; keeps rows 16-byte aligned and spreads banks
    constexpr int LDC = MATMUL_BM + 4;  // floats
    __shared__ __align__(32) half wTile[MATMUL_BM][LD];
    __shared__ __align__(32) half xTile[MATMUL_BN][LD];
    __shared__ __align__(32) float cTile[MATMUL_BN][LDC];
    const int r0 = blockIdx.x * MATMUL_BM, t0 = blockIdx.y * MATMUL_BN;
    const int warp = threadIdx.x / WARP_SIZE;
    const int wr = (warp >> 1) * 32, wt = (warp & 1) * 32;

    wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[2][2];
#pragma unroll
    for (int i = 0; i < 2; i++)
#pragma unroll
        for (int j = 0; j < 2; j++) wmma::fill_fragment(acc[i][j], 0.0f);

    for (int k0 = 0; k0 < cols; k0 += MATMUL_BK) {
        if (threadIdx.x < MATMUL_BM) {
            const int r = r0 + threadIdx.x;
            float v[32];
            if (r < rows) {
                W::unit(w + (size_t) r * rowBytes, k0 >> 5, v);
            } else {
#pragma unroll
                for (int j = 0; j < 32; j++) v[j] = 0.0f;
            }
            half2* dst = reinterpret_cast<half2*>(&wTile[threadIdx.x][0]);
#pragma unroll
            for (int j = 0; j < 16; j++) dst[j] = __floats2half2_rn(v[2 * j], v[2 * j + 1]);
        } else {
            const int tl = threadIdx.x - MATMUL_BM, t = t0 + tl;
            half2* dst = reinterpret_cast<half2*>(&xTile[tl][0]);
            if (t < tokens) {
                const float4* src = reinterpret_cast<const float4*>(x + (size_t) t * cols + k0);
#pragma unroll
                for (int j = 0; j < 8; j++) {
                    const float4 f = __ldg(src + j);
                    dst[2 * j] = __floats2half2_rn(f.x, f.y);
                    dst[2 * j + 1] = __floats2half2_rn(f.z, f.w);
                }
            } else {
#pragma unroll
                for (int j = 0; j < 16; j++) dst[j] = __floats2half2_rn(0.0f, 0.0f);
            }
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < MATMUL_BK; kk += 16) {
            wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> a[2];
            wmma::fragment<wmma::matrix_b, 16, 16, 16, half, wmma::col_major> b[2];
#pragma unroll
            for (int i = 0; i < 2; i++) wmma::load_matrix_sync(a[i], &wTile[wr + 16 * i][kk], LD);
#pragma unroll
            for (int j = 0; j < 2; j++) wmma::load_matrix_sync(b[j], &xTile[wt + 16 * j][kk], LD);
#pragma unroll
            for (int i = 0; i < 2; i++)
#pragma unroll
                for (int j = 0; j < 2; j++) wmma::mma_sync(acc[i][j], a[i], b[j], acc[i][j]);
        }
        __syncthreads();
    }
    // C(r, t) goes to cTile[t][r]: column-major storage of the rows x tokens result.
#pragma unroll
    for (int i = 0; i < 2; i++)
#pragma unroll
        for (int j = 0; j < 2; j++)
            wmma::store_matrix_sync(&cTile[wt + 16 * j][wr + 16 * i], acc[i][j], LDC, wmma::mem_col_major);
    __syncthreads();
    for (int idx = threadIdx.x; idx < MATMUL_BM * MATMUL_BN; idx += MATMUL_THREADS) {
        const int tl = idx / MATMUL_BM, rl = idx % MATMUL_BM;
        const int t = t0 + tl, r = r0 + rl;
        if (t < tokens && r < rows) y[(size_t) t * rows + r] = cTile[tl][rl];
    }
}

#define MATMUL_KERNEL(name, W)                                                                                     \
    extern "C" __global__ void __launch_bounds__(MATMUL_THREADS)                                                  \
        name(const uint8_t* w, long long rowBytes, const float* x, float* y, int rows, int cols, int tokens) {     \
        matmul<W>(w, rowBytes, x, y, rows, cols, tokens);                                                          \
    }

MATMUL_KERNEL(matmul_f16, WeightF16)
MATMUL_KERNEL(matmul_bf16, WeightBF16)
MATMUL_KERNEL(matmul_q8_0, WeightQ8_0)
MATMUL_KERNEL(matmul_q4_0, WeightQ4_0)
MATMUL_KERNEL(matmul_q4_k, WeightQ4_K)
MATMUL_KERNEL(matmul_q5_k, WeightQ5_K)
MATMUL_KERNEL(matmul_q6_k, WeightQ6_K)
