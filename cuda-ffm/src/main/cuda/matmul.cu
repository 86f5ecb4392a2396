// Matrix-matrix product for prefill on quantized weights, on the tensor cores:
// Y[t][r] = sum_k X[t][k] * W[r][k], X and Y float32 (token-major), W in a format of matmul_dequant.cuh.
//
// Block tile: 128 weight rows x BN tokens (BN = 128, or 64 where the 128-token grid would leave
// multiprocessors idle), k in steps of 32, 256 threads. Every weight element is dequantized once per
// block (a thread decodes a 16-element slice of one row per step) into an f16 tile in shared memory,
// while the activations arrive already rounded to f16 (matmul_to_half, once per input shared by several
// products) through a 4-deep cp.async ring of tiles. Eight warps
// each own a (16 MT) x (8 NT) piece of the output and run m16n8k16 mma.sync on fragments read with
// ldmatrix, accumulating in float32. The weight tiles are double-buffered; each thread's raw quantized
// bytes are loaded into registers three steps ahead of their mma (two register sets), decoded after the
// previous step's mma, so weight loads get two steps of matrix work and activations three to arrive;
// one barrier per step. Rows and tokens past the edges are clamped on load and masked on store.
// Split-K: with splitSteps > 0, block z of gridDim.z takes k steps [z * splitSteps, (z + 1) * splitSteps)
// and writes its float32 partial sums to y + z * tokens * rows; matmul_split_sum adds the splits in order
// (so the result does not depend on scheduling). splitSteps is a multiple of 8, so a split starts on a
// 256-element boundary, whole blocks of every format.
// Widths that are not a multiple of 32 (float rows only: matmul_any_<type>) take one more, partial k
// step: the activations' rows are padded with zeros to whole steps (half_pitch, matmul_to_half_rows)
// and the weight slices past the row's end are not read but zero (SliceAnyWidth).
#include "matmul_dequant.cuh"
#include "tensor_core.cuh"

#define MATMUL_BM 128
#define MATMUL_BK 32
#define MATMUL_THREADS 256
#define MATMUL_LD (MATMUL_BK + 8)  // halves per tile row: 80 bytes keeps ldmatrix's 8 rows on distinct banks
#define MATMUL_XSTAGES 4           // activation tiles in flight (cp.async ring)

namespace mm {

using tc::cp_async16;
using tc::cp_async_commit;
using tc::cp_async_wait;
using tc::ldmatrix_x4;
using tc::mma_16816;

// WARPS_M x WARPS_N warps; each warp MT m16 tiles (weight rows) by NT n8 tiles (tokens).
// Shared memory (dynamic): wTile[2][MATMUL_BM][MATMUL_LD] then xTile[MATMUL_XSTAGES][BN][MATMUL_LD].
template <typename W, int WARPS_M, int MT, int WARPS_N, int NT>
__device__ __forceinline__ void matmul(const uint8_t* __restrict__ w, long long rowBytes, const half* __restrict__ x,
                                       float* __restrict__ y, int rows, int cols, int tokens, int splitSteps) {
    static_assert(WARPS_M * WARPS_N * 32 == MATMUL_THREADS, "one warp per output piece");
    static_assert(WARPS_M * MT * 16 == MATMUL_BM, "the warps cover the block's weight rows");
    static_assert(NT % 2 == 0, "B fragments are read two n8 tiles per ldmatrix.x4");
    constexpr int BN = WARPS_N * NT * 8;
    constexpr int X_CHUNKS = BN * MATMUL_BK / 8 / MATMUL_THREADS;  // 16-byte chunks of f16 activations per thread per step
    static_assert(X_CHUNKS >= 1 && MATMUL_THREADS * X_CHUNKS * 8 == BN * MATMUL_BK, "whole chunks per thread");

    extern __shared__ __align__(16) unsigned char smem[];
    typedef half Row[MATMUL_LD];
    Row* wTile = reinterpret_cast<Row*>(smem);                                  // [2 * MATMUL_BM]
    Row* xTile = reinterpret_cast<Row*>(smem + 2 * MATMUL_BM * MATMUL_LD * 2);  // [MATMUL_XSTAGES * BN]

    const int r0 = blockIdx.x * MATMUL_BM, t0 = blockIdx.y * BN;
    const int tid = threadIdx.x, warp = tid / 32, lane = tid % 32;
    const int wm = (warp % WARPS_M) * MT * 16, wn = (warp / WARPS_M) * NT * 8;

    // This thread's weight slice: 16 elements of row wRow. Its activation chunks: token (c / 4), halves 8 (c % 4).
    const int wRow = tid >> 1, wHalf = tid & 1;
    const uint8_t* wRowPtr = w + (size_t) min(r0 + wRow, rows - 1) * rowBytes;
    const half* xSrc[X_CHUNKS];
    int xDst[X_CHUNKS];
#pragma unroll
    for (int j = 0; j < X_CHUNKS; j++) {
        const int c = tid + j * MATMUL_THREADS, tok = c >> 2, part = (c & 3) * 8;
        xSrc[j] = x + (size_t) min(t0 + tok, tokens - 1) * half_pitch(cols) + part;
        xDst[j] = tok * MATMUL_LD + part;
    }
    const int allSteps = (cols + MATMUL_BK - 1) / MATMUL_BK;
    const int firstStep = splitSteps > 0 ? blockIdx.z * splitSteps : 0;
    const int steps = splitSteps > 0 ? min(splitSteps, allSteps - firstStep) : allSteps;
    const int kBase = firstStep * MATMUL_BK;
    y += (size_t) blockIdx.z * tokens * rows;
#pragma unroll
    for (int j = 0; j < X_CHUNKS; j++) xSrc[j] += kBase;
    auto loadW = [&](int k, typename W::Raw& raw) {
        if constexpr (reads_any_width<W>::value) {
            W::load(wRowPtr, kBase + k, cols, raw);
        } else {
            W::load(wRowPtr, kBase + k, raw);
        }
    };
    // Activations of step s go to ring slot s % MATMUL_XSTAGES; one commit group per step (empty past the end).
    auto fetchX = [&](int s) {
        if (s < steps) {
            half* slot = &xTile[(s % MATMUL_XSTAGES) * BN][0];
#pragma unroll
            for (int j = 0; j < X_CHUNKS; j++) cp_async16(slot + xDst[j], xSrc[j] + (size_t) s * MATMUL_BK);
        }
        cp_async_commit();
    };
    auto stage = [&](int buf, const typename W::Raw& raw) {
        uint32_t h[8];
        W::decode(raw, h);
        uint4* wd = reinterpret_cast<uint4*>(&wTile[buf * MATMUL_BM + wRow][16 * wHalf]);
        wd[0] = make_uint4(h[0], h[1], h[2], h[3]);
        wd[1] = make_uint4(h[4], h[5], h[6], h[7]);
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

    // One step: the mma of step s on wTile[s & 1] and x slot s % XSTAGES, then the weights of step s + 1
    // (loaded two steps ago into `next`) are decoded into the other wTile, and `next` is refilled with
    // the raw bytes of step s + 3, so every weight load has two steps of matrix work to arrive.
    auto body = [&](int s, typename W::Raw& next) {
        fetchX(s + MATMUL_XSTAGES - 1);
        const int cur = s & 1;
        const Row* xs = &xTile[(s % MATMUL_XSTAGES) * BN];
#pragma unroll
        for (int kk = 0; kk < MATMUL_BK; kk += 16) {
            uint32_t b[NT][2];
#pragma unroll
            for (int j = 0; j < NT; j += 2) {
                uint32_t r[4];
                ldmatrix_x4(r, &xs[wn + 8 * j + bRow][kk + bCol]);
                b[j][0] = r[0];
                b[j][1] = r[1];
                b[j + 1][0] = r[2];
                b[j + 1][1] = r[3];
            }
#pragma unroll
            for (int i = 0; i < MT; i++) {
                uint32_t a[4];
                ldmatrix_x4(a, &wTile[cur * MATMUL_BM + wm + 16 * i + aRow][kk + aCol]);
#pragma unroll
                for (int j = 0; j < NT; j++) mma_16816(acc[i][j], a, b[j][0], b[j][1]);
            }
        }
        if (s + 1 < steps) stage(cur ^ 1, next);
        if (s + 3 < steps) loadW((s + 3) * MATMUL_BK + 16 * wHalf, next);
        cp_async_wait<MATMUL_XSTAGES - 2>();  // this thread's activations of step s + 1 have landed
        __syncthreads();
    };

    typename W::Raw rawA, rawB, first;
    for (int s = 0; s < MATMUL_XSTAGES - 1; s++) fetchX(s);
    loadW(16 * wHalf, first);
    if (steps > 1) loadW(MATMUL_BK + 16 * wHalf, rawB);
    if (steps > 2) loadW(2 * MATMUL_BK + 16 * wHalf, rawA);
    stage(0, first);
    cp_async_wait<MATMUL_XSTAGES - 2>();
    __syncthreads();
    // Step s decodes step s + 1's weights: from rawB when s is even, rawA when s is odd.
    int step = 0;
    for (; step + 1 < steps; step += 2) {
        body(step, rawB);
        body(step + 1, rawA);
    }
    if (step < steps) body(step, rawB);
    cp_async_wait<0>();

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
// matmul_<type>_n64: 128 x 64 block tiles (warps 4 x 2, each 32 x 32, two blocks per SM: three spill) for grids that would not fill the device.
#define MATMUL_KERNELS(name, W)                                                                                    \
    extern "C" __global__ void __launch_bounds__(MATMUL_THREADS, 2)                                               \
        name(const uint8_t* w, long long rowBytes, const half* x, float* y, int rows, int cols, int tokens,       \
             int splitSteps) {                                                                                    \
        mm::matmul<W, 2, 4, 4, 4>(w, rowBytes, x, y, rows, cols, tokens, splitSteps);                              \
    }                                                                                                              \
    extern "C" __global__ void __launch_bounds__(MATMUL_THREADS, 2)                                               \
        name##_n64(const uint8_t* w, long long rowBytes, const half* x, float* y, int rows, int cols, int tokens,  \
                   int splitSteps) {                                                                              \
        mm::matmul<W, 4, 2, 2, 4>(w, rowBytes, x, y, rows, cols, tokens, splitSteps);                              \
    }

MATMUL_KERNELS(matmul_f32, mm::SliceF32)
MATMUL_KERNELS(matmul_f16, mm::SliceF16)
MATMUL_KERNELS(matmul_bf16, mm::SliceBF16)
MATMUL_KERNELS(matmul_q8_0, mm::SliceQ8_0)
MATMUL_KERNELS(matmul_q4_0, mm::SliceQ4_0)
MATMUL_KERNELS(matmul_q4_k, mm::SliceQ4_K)
MATMUL_KERNELS(matmul_q5_k, mm::SliceQ5_K)
MATMUL_KERNELS(matmul_q6_k, mm::SliceQ6_K)
MATMUL_KERNELS(matmul_any_f32, mm::SliceAnyWidth<mm::ElementF32>)
MATMUL_KERNELS(matmul_any_f16, mm::SliceAnyWidth<mm::ElementF16>)
MATMUL_KERNELS(matmul_any_bf16, mm::SliceAnyWidth<mm::ElementBF16>)

// X (float32, n elements, n a multiple of 8) rounded to f16 once per matmul input, so that every block of
// every product sharing that input (q/k/v, gate/up) copies f16 tiles with cp.async instead of converting.
extern "C" __global__ void matmul_to_half(const float* __restrict__ x, half* __restrict__ out, long long n) {
    for (long long i = 8 * ((long long) blockIdx.x * blockDim.x + threadIdx.x); i < n; i += 8LL * gridDim.x * blockDim.x) {
        const float4 a = __ldg(reinterpret_cast<const float4*>(x + i)), b = __ldg(reinterpret_cast<const float4*>(x + i) + 1);
        *reinterpret_cast<uint4*>(out + i) = make_uint4(mm::as_u32(__floats2half2_rn(a.x, a.y)), mm::as_u32(__floats2half2_rn(a.z, a.w)),
                                                        mm::as_u32(__floats2half2_rn(b.x, b.y)), mm::as_u32(__floats2half2_rn(b.z, b.w)));
    }
}

// X (float32, tokens rows of cols) rounded to f16 into rows of half_pitch(cols) halves, the pad zero: the
// rounding for widths that are not a multiple of 32 (where the rows of matmul_to_half's flat copy would
// not be whole, aligned k steps).
extern "C" __global__ void matmul_to_half_rows(const float* __restrict__ x, half* __restrict__ out, int tokens, int cols) {
    const int pitch = mm::half_pitch(cols);
    const long long n = (long long) tokens * pitch;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        const long long t = i / pitch;
        const int c = (int) (i - t * pitch);
        out[i] = c < cols ? __float2half_rn(x[t * cols + c]) : __float2half_rn(0.0f);
    }
}

// y[i] = the sum of the split-K partials partial[z][i] for z = 0..splits-1, added in that order.
extern "C" __global__ void matmul_split_sum(const float* __restrict__ partial, float* __restrict__ y, long long n,
                                            int splits) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        float sum = partial[i];
        for (int z = 1; z < splits; z++) sum += partial[z * n + i];
        y[i] = sum;
    }
}
