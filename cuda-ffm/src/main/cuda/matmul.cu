// Matrix-matrix product for prefill on quantized weights, on the tensor cores:
// Y[t][r] = sum_k X[t][k] * W[r][k], X and Y float32 (token-major), W in a format of quant.cuh.
// Block tile: MATMUL_BM weight rows x MATMUL_BN tokens, k in steps of MATMUL_BK = 64. Each step every
// thread dequantizes one 32-element unit of one weight row into an f16 tile and converts 16 of one
// token's activations to f16; then eight warps (4 along rows x 2 along tokens, 32 x 32 each) run
// 16x16x16 mma.sync (wmma) with float32 accumulators. Two blocks fit on a multiprocessor, so one
// block's dequantization overlaps the other's matrix work.
#include <mma.h>
#include "quant.cuh"

#define MATMUL_BM 128
#define MATMUL_BN 64
#define MATMUL_BK 64
#define MATMUL_THREADS 256

using namespace nvcuda;

template <typename W>
__device__ __forceinline__ void matmul(const uint8_t* __restrict__ w, long long rowBytes, const float* __restrict__ x,
                                       float* __restrict__ y, int rows, int cols, int tokens) {
    constexpr int LD = MATMUL_BK + 8;  // halves; keeps rows 16-byte aligned and spreads banks
    __shared__ __align__(32) half wTile[MATMUL_BM][LD];
    __shared__ __align__(32) half xTile[MATMUL_BN][LD];
    const int r0 = blockIdx.x * MATMUL_BM, t0 = blockIdx.y * MATMUL_BN;
    const int warp = threadIdx.x / WARP_SIZE, lane = threadIdx.x % WARP_SIZE;
    const int wr = (warp >> 1) * 32, wt = (warp & 1) * 32;
    // This thread's share of each step: weight row wRow, unit wHalf of the step; token xTok, 16 floats at xPart.
    const int wRow = threadIdx.x >> 1, wHalf = threadIdx.x & 1;
    const int xTok = threadIdx.x >> 2, xPart = (threadIdx.x & 3) * 16;
    const uint8_t* wRowPtr = w + (size_t) min(r0 + wRow, rows - 1) * rowBytes;
    const bool wLive = r0 + wRow < rows;
    const float* xRowPtr = x + (size_t) min(t0 + xTok, tokens - 1) * cols;
    const bool xLive = t0 + xTok < tokens;

    wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[2][2];
#pragma unroll
    for (int i = 0; i < 2; i++)
#pragma unroll
        for (int j = 0; j < 2; j++) wmma::fill_fragment(acc[i][j], 0.0f);

    for (int k0 = 0; k0 < cols; k0 += MATMUL_BK) {
        {
            const int k = k0 + 32 * wHalf;
            float v[32];
            if (wLive && k < cols) {
                W::unit(wRowPtr, k >> 5, v);
            } else {
#pragma unroll
                for (int j = 0; j < 32; j++) v[j] = 0.0f;
            }
            uint4* dst = reinterpret_cast<uint4*>(&wTile[wRow][32 * wHalf]);
#pragma unroll
            for (int q = 0; q < 4; q++) {
                half2 h[4];
#pragma unroll
                for (int j = 0; j < 4; j++) h[j] = __floats2half2_rn(v[8 * q + 2 * j], v[8 * q + 2 * j + 1]);
                dst[q] = *reinterpret_cast<uint4*>(h);
            }
        }
        {
            const int k = k0 + xPart;
            half2 h[8];
            if (xLive && k < cols) {
                const float4* src = reinterpret_cast<const float4*>(xRowPtr + k);
#pragma unroll
                for (int j = 0; j < 4; j++) {
                    const float4 f = __ldg(src + j);
                    h[2 * j] = __floats2half2_rn(f.x, f.y);
                    h[2 * j + 1] = __floats2half2_rn(f.z, f.w);
                }
            } else {
#pragma unroll
                for (int j = 0; j < 8; j++) h[j] = __floats2half2_rn(0.0f, 0.0f);
            }
            uint4* dst = reinterpret_cast<uint4*>(&xTile[xTok][xPart]);
            dst[0] = *reinterpret_cast<uint4*>(h);
            dst[1] = *reinterpret_cast<uint4*>(h + 4);
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
    // Each warp passes its 16x16 results through its own 1 KB of the (now free) weight tile, stored
    // column-major in (row, token) so that consecutive lanes write consecutive rows of Y's token rows.
    float* scratch = reinterpret_cast<float*>(&wTile[0][0]) + warp * 256;
#pragma unroll
    for (int i = 0; i < 2; i++)
#pragma unroll
        for (int j = 0; j < 2; j++) {
            wmma::store_matrix_sync(scratch, acc[i][j], 16, wmma::mem_col_major);
            __syncwarp();
            for (int e = lane; e < 256; e += WARP_SIZE) {
                const int r = r0 + wr + 16 * i + (e & 15), t = t0 + wt + 16 * j + (e >> 4);
                if (r < rows && t < tokens) y[(size_t) t * rows + r] = scratch[e];
            }
            __syncwarp();
        }
}

#define MATMUL_KERNEL(name, W)                                                                                     \
    extern "C" __global__ void __launch_bounds__(MATMUL_THREADS, 2)                                               \
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
