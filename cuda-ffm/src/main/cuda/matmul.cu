// Matrix-matrix product for prefill on quantized weights, on the tensor cores:
// Y[t][r] = sum_k X[t][k] * W[r][k], X and Y float32 (token-major), W in a format of matmul_dequant.cuh.
//
// Block tile: 128 weight rows x BN tokens (BN = 128, or 64 where the 128-token grid would leave
// multiprocessors idle), k in steps of 32, 256 threads. Every weight element is dequantized once per
// block (a thread decodes a 16-element slice of one row per step) into an f16 tile in shared memory,
// and every activation is rounded to f16 once per block on its way into a second tile. Eight warps
// each own a (16 MT) x (8 NT) piece of the output and run m16n8k16 mma.sync on fragments read with
// ldmatrix, accumulating in float32. The tiles are double-buffered in shared memory and the next
// step's global loads (raw quantized bytes and float32 activations) are issued into registers before
// the current step's mma and stored after it, so their latency hides under the matrix work; one
// barrier per step. Rows and tokens past the edges are clamped on load and masked on store.
#include "matmul_dequant.cuh"

#define MATMUL_BM 128
#define MATMUL_BK 32
#define MATMUL_THREADS 256
#define MATMUL_LD (MATMUL_BK + 8)  // halves per tile row: 80 bytes keeps ldmatrix's 8 rows on distinct banks

namespace mm {

__device__ __forceinline__ void ldmatrix_x4(uint32_t (&r)[4], const half* p) {
    const uint32_t a = (uint32_t) __cvta_generic_to_shared(p);
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(a));
}

// D = A B + D for one m16n8k16 (A row-major 16x16, B column-major 16x8, f16 in, f32 accumulate).
__device__ __forceinline__ void mma_16816(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
    asm("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
        "{%0, %1, %2, %3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// WARPS_M x WARPS_N warps; each warp MT m16 tiles (weight rows) by NT n8 tiles (tokens).
template <typename W, int WARPS_M, int MT, int WARPS_N, int NT>
__device__ __forceinline__ void matmul(const uint8_t* __restrict__ w, long long rowBytes, const float* __restrict__ x,
                                       float* __restrict__ y, int rows, int cols, int tokens) {
    static_assert(WARPS_M * WARPS_N * 32 == MATMUL_THREADS, "one warp per output piece");
    static_assert(WARPS_M * MT * 16 == MATMUL_BM, "the warps cover the block's weight rows");
    static_assert(NT % 2 == 0, "B fragments are read two n8 tiles per ldmatrix.x4");
    constexpr int BN = WARPS_N * NT * 8;
    constexpr int X_FLOATS = BN * MATMUL_BK / MATMUL_THREADS;  // activations per thread per step
    constexpr int X_THREADS_PER_TOKEN = MATMUL_BK / X_FLOATS;
    static_assert(X_FLOATS % 8 == 0, "activations are staged in 16-byte runs of f16");

    __shared__ __align__(16) half wTile[2][MATMUL_BM][MATMUL_LD];
    __shared__ __align__(16) half xTile[2][BN][MATMUL_LD];

    const int r0 = blockIdx.x * MATMUL_BM, t0 = blockIdx.y * BN;
    const int tid = threadIdx.x, warp = tid / 32, lane = tid % 32;
    const int wm = (warp % WARPS_M) * MT * 16, wn = (warp / WARPS_M) * NT * 8;

    // This thread's loads: slice wHalf (16 elements) of weight row wRow; X_FLOATS activations of token xTok.
    const int wRow = tid >> 1, wHalf = tid & 1;
    const uint8_t* wRowPtr = w + (size_t) min(r0 + wRow, rows - 1) * rowBytes;
    const int xTok = tid / X_THREADS_PER_TOKEN, xPart = (tid % X_THREADS_PER_TOKEN) * X_FLOATS;
    const float* xPtr = x + (size_t) min(t0 + xTok, tokens - 1) * cols + xPart;

    typename W::Raw raw;
    float4 xr[X_FLOATS / 4];
    auto load = [&](int k0) {
        W::load(wRowPtr, k0 + 16 * wHalf, raw);
#pragma unroll
        for (int j = 0; j < X_FLOATS / 4; j++) xr[j] = __ldg(reinterpret_cast<const float4*>(xPtr + k0) + j);
    };
    auto stage = [&](int buf) {
        uint32_t h[8];
        W::decode(raw, h);
        uint4* wd = reinterpret_cast<uint4*>(&wTile[buf][wRow][16 * wHalf]);
        wd[0] = make_uint4(h[0], h[1], h[2], h[3]);
        wd[1] = make_uint4(h[4], h[5], h[6], h[7]);
        uint4* xd = reinterpret_cast<uint4*>(&xTile[buf][xTok][xPart]);
#pragma unroll
        for (int j = 0; j < X_FLOATS / 8; j++) {
            const float4 a = xr[2 * j], b = xr[2 * j + 1];
            xd[j] = make_uint4(as_u32(__floats2half2_rn(a.x, a.y)), as_u32(__floats2half2_rn(a.z, a.w)),
                               as_u32(__floats2half2_rn(b.x, b.y)), as_u32(__floats2half2_rn(b.z, b.w)));
        }
    };

    float acc[MT][NT][4];
#pragma unroll
    for (int i = 0; i < MT; i++)
#pragma unroll
        for (int j = 0; j < NT; j++)
#pragma unroll
            for (int e = 0; e < 4; e++) acc[i][j][e] = 0.0f;

    // ldmatrix row addresses of this lane. A (16x16 of wTile): matrices rows 0-7 / 8-15 at k 0 then k 8.
    // B (two n8 tiles of xTile, k contiguous): matrices (n 0-7, k 0), (n 0-7, k 8), (n 8-15, k 0), (n 8-15, k 8).
    const int aRow = lane & 15, aCol = (lane >> 4) * 8;
    const int bRow = (lane & 7) + ((lane >> 4) << 3), bCol = ((lane >> 3) & 1) * 8;

    const int steps = cols / MATMUL_BK;
    load(0);
    stage(0);
    __syncthreads();
    for (int step = 0; step < steps; step++) {
        const int cur = step & 1;
        const bool more = step + 1 < steps;
        if (more) load((step + 1) * MATMUL_BK);
#pragma unroll
        for (int kk = 0; kk < MATMUL_BK; kk += 16) {
            uint32_t b[NT][2];
#pragma unroll
            for (int j = 0; j < NT; j += 2) {
                uint32_t r[4];
                ldmatrix_x4(r, &xTile[cur][wn + 8 * j + bRow][kk + bCol]);
                b[j][0] = r[0];
                b[j][1] = r[1];
                b[j + 1][0] = r[2];
                b[j + 1][1] = r[3];
            }
#pragma unroll
            for (int i = 0; i < MT; i++) {
                uint32_t a[4];
                ldmatrix_x4(a, &wTile[cur][wm + 16 * i + aRow][kk + aCol]);
#pragma unroll
                for (int j = 0; j < NT; j++) mma_16816(acc[i][j], a, b[j][0], b[j][1]);
            }
        }
        if (more) stage(cur ^ 1);
        __syncthreads();
    }

    // Accumulator layout (m16n8 f32): lane = 4g + q holds rows g and g + 8, tokens 2q and 2q + 1.
    const int g = lane >> 2, q = lane & 3;
#pragma unroll
    for (int i = 0; i < MT; i++) {
#pragma unroll
        for (int j = 0; j < NT; j++) {
#pragma unroll
            for (int e = 0; e < 4; e++) {
                const int r = r0 + wm + 16 * i + g + 8 * (e >> 1), t = t0 + wn + 8 * j + 2 * q + (e & 1);
                if (r < rows && t < tokens) y[(size_t) t * rows + r] = acc[i][j][e];
            }
        }
    }
}

}  // namespace mm

// matmul_<type>: 128 x 128 block tiles (warps 2 x 4, each 64 rows x 32 tokens), two blocks per SM.
// matmul_<type>_n64: 128 x 64 block tiles (warps 4 x 2, each 32 x 32) for grids that would not fill the device.
#define MATMUL_KERNELS(name, W)                                                                                    \
    extern "C" __global__ void __launch_bounds__(MATMUL_THREADS, 2)                                               \
        name(const uint8_t* w, long long rowBytes, const float* x, float* y, int rows, int cols, int tokens) {     \
        mm::matmul<W, 2, 4, 4, 4>(w, rowBytes, x, y, rows, cols, tokens);                                          \
    }                                                                                                              \
    extern "C" __global__ void __launch_bounds__(MATMUL_THREADS, 3)                                               \
        name##_n64(const uint8_t* w, long long rowBytes, const float* x, float* y, int rows, int cols, int tokens) { \
        mm::matmul<W, 4, 2, 2, 4>(w, rowBytes, x, y, rows, cols, tokens);                                          \
    }

MATMUL_KERNELS(matmul_f16, mm::SliceF16)
MATMUL_KERNELS(matmul_bf16, mm::SliceBF16)
MATMUL_KERNELS(matmul_q8_0, mm::SliceQ8_0)
MATMUL_KERNELS(matmul_q4_0, mm::SliceQ4_0)
MATMUL_KERNELS(matmul_q4_k, mm::SliceQ4_K)
MATMUL_KERNELS(matmul_q5_k, mm::SliceQ5_K)
MATMUL_KERNELS(matmul_q6_k, mm::SliceQ6_K)
