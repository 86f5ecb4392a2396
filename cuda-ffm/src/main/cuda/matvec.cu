// Matrix-vector product for decode, fused with dequantization: y[r] = sum_k W[r][k] * x[k].
// W is row-major in one of the weight formats of quant.cuh, x and y are float32.
// Block: MATVEC_WARPS warps, one row per warp at a time, rows strided over the grid so that each
// block loads x into shared memory once. Each lane dots 32-element units of its row (16-byte loads
// where the format's alignment allows) with x. Shared x is padded by 4 floats per 32 so that the lanes'
// float4 reads of consecutive units fall in different banks; formats that ask for them (q6_K) also get
// x's per-16 sums after it.
#include "quant.cuh"
#include "matvec_stage.cuh"
#include "matvec_superblock.cuh"
#include "matvec_q6k.cuh"

#define MATVEC_WARPS 8

// A format of quant.cuh whose unit decodes to 32 floats, dotted with x after decoding.
template <typename W>
struct DecodedUnit {
    static constexpr bool SUMS = false;

    __device__ __forceinline__ static float dot(const uint8_t* row, int u, const float* xu, const float*, float acc) {
        float v[32];
        W::unit(row, u, v);
        const float4* xv = reinterpret_cast<const float4*>(xu);
#pragma unroll
        for (int i = 0; i < 8; i++) {
            const float4 xx = xv[i];
            acc = fmaf(v[4 * i], xx.x, acc);
            acc = fmaf(v[4 * i + 1], xx.y, acc);
            acc = fmaf(v[4 * i + 2], xx.z, acc);
            acc = fmaf(v[4 * i + 3], xx.w, acc);
        }
        return acc;
    }
};

template <typename U>
__device__ __forceinline__ void matvec(const uint8_t* __restrict__ w, long long rowBytes, const float* __restrict__ x,
                                       float* __restrict__ y, int rows, int cols) {
    extern __shared__ float4 shared4[];
    float* xs = reinterpret_cast<float*>(shared4);
    float* sums = xs + (cols >> 5) * 36;
    stage_x(x, xs, cols, [](int k) { return k + (k >> 5) * 4; });
    __syncthreads();
    if (U::SUMS) {
        for (int g = threadIdx.x; g < cols / 16; g += blockDim.x) {
            const float* run = xs + 16 * g + (g >> 1) * 4;
            float s = 0.0f;
#pragma unroll
            for (int i = 0; i < 16; i++) s += run[i];
            sums[g] = s;
        }
        __syncthreads();
    }
    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE;
    const int units = cols >> 5;
    for (int row = blockIdx.x * MATVEC_WARPS + warp; row < rows; row += gridDim.x * MATVEC_WARPS) {
        const uint8_t* r = w + (size_t) row * rowBytes;
        float acc = 0.0f;
#pragma unroll 2
        for (int u = lane; u < units; u += WARP_SIZE) {
            acc = U::dot(r, u, xs + u * 36, sums + 2 * u, acc);
        }
        acc = warp_sum(acc);
        if (lane == 0) y[row] = acc;
    }
}

#define MATVEC_KERNEL(name, U)                                                                              \
    extern "C" __global__ void __launch_bounds__(MATVEC_WARPS * WARP_SIZE)                                 \
        name(const uint8_t* w, long long rowBytes, const float* x, float* y, int rows, int cols) {          \
        matvec<U>(w, rowBytes, x, y, rows, cols);                                                           \
    }

MATVEC_KERNEL(matvec_f16, DecodedUnit<WeightF16>)
MATVEC_KERNEL(matvec_bf16, DecodedUnit<WeightBF16>)
MATVEC_KERNEL(matvec_q8_0, DecodedUnit<WeightQ8_0>)
MATVEC_KERNEL(matvec_q4_0, DecodedUnit<WeightQ4_0>)
MATVEC_KERNEL(matvec_q5_k, DecodedUnit<WeightQ5_K>)
MATVEC_KERNEL(matvec_q6_k, Q6KUnit)

// q4_K reads whole super-blocks (matvec_superblock.cuh); ksplit warps share each row group.
extern "C" __global__ void __launch_bounds__(MATVEC_SB_WARPS * WARP_SIZE, 2)
    matvec_q4_k(const uint8_t* w, long long rowBytes, const float* x, float* y, int rows, int cols, int ksplit) {
    matvec_superblocks<Q4KSuperBlock>(w, rowBytes, x, y, rows, cols, ksplit);
}
