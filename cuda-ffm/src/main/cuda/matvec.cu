// Matrix-vector product for decode, fused with dequantization: y[r] = sum_k W[r][k] * x[k].
// W is row-major in one of the weight formats of quant.cuh, x and y are float32. q4_K runs the
// super-block kernel (matvec_superblock.cuh), the other formats the 32-element unit kernel
// (matvec_unit.cuh); q6_K its own unit with rows split over warps (matvec_q6k.cuh). Float rows whose
// width is not a multiple of 32 run matvec_any_<type> (matvec_any_width.cuh). matvec_x8_<type> computes
// the same product against x quantized to int8 per 32 (matvec_x8_stage.cuh): q4_K in the super-block
// kernel, q8_0 / q4_0 / q6_K in the x8 unit kernel (matvec_x8_units.cuh); matvec_x16_<type> against x
// quantized to 16 bits per 32, held as two int8 levels.
#include "common.cuh"
#include "programmatic_launch.cuh"
#include "quant.cuh"
#include "matvec_float_window.cuh"
#include "matvec_rows.cuh"
#include "matvec_stage.cuh"
#include "matvec_unit.cuh"
#include "matvec_superblock.cuh"
#include "matvec_q6k.cuh"
#include "matvec_any_width.cuh"
#include "matvec_x8_stage.cuh"
#include "matvec_x8_units.cuh"

#define MATVEC_KERNEL(name, U)                                                                              \
    extern "C" __global__ void __launch_bounds__(MATVEC_WARPS * WARP_SIZE)                                 \
        name(const uint8_t* w, long long rowBytes, const float* x, float* y, int rows, int cols) {          \
        matvec_units<U>(OneMatrix{w, rowBytes, y}, PlainX{x}, rows, cols);                                  \
    }

MATVEC_KERNEL(matvec_f32, DecodedUnit<WeightF32>)
MATVEC_KERNEL(matvec_f16, DecodedUnit<WeightF16>)
MATVEC_KERNEL(matvec_bf16, DecodedUnit<WeightBF16>)
MATVEC_KERNEL(matvec_q8_0, DecodedUnit<WeightQ8_0>)
MATVEC_KERNEL(matvec_q4_0, DecodedUnit<WeightQ4_0>)
MATVEC_KERNEL(matvec_q5_k, DecodedUnit<WeightQ5_K>)

// q6_K: ksplit warps share each row (matvec_q6k.cuh).
extern "C" __global__ void __launch_bounds__(MATVEC_Q6K_WARPS * WARP_SIZE, MATVEC_Q6K_BLOCKS_PER_SM)
    matvec_q6_k(const uint8_t* w, long long rowBytes, const float* x, float* y, int rows, int cols, int ksplit) {
    matvec_q6k_units(OneMatrix{w, rowBytes, y}, PlainX{x}, rows, cols, ksplit);
}

// q4_K reads whole super-blocks (matvec_superblock.cuh); ksplit warps share each row group.
extern "C" __global__ void __launch_bounds__(MATVEC_SB_WARPS * WARP_SIZE, 2)
    matvec_q4_k(const uint8_t* w, long long rowBytes, const float* x, float* y, int rows, int cols, int ksplit) {
    matvec_superblocks<Q4KSuperBlock>(OneMatrix{w, rowBytes, y}, PlainX{x}, rows, cols, ksplit);
}

#define MATVEC_ANY_WIDTH_KERNEL(name, W)                                                                     \
    extern "C" __global__ void __launch_bounds__(MATVEC_WARPS * WARP_SIZE)                                 \
        name(const uint8_t* w, long long rowBytes, const float* x, float* y, int rows, int cols) {          \
        matvec_any_width<W>(OneMatrix{w, rowBytes, y}, PlainElements{x}, rows, cols);                       \
    }

MATVEC_ANY_WIDTH_KERNEL(matvec_any_f32, WeightF32)
MATVEC_ANY_WIDTH_KERNEL(matvec_any_f16, WeightF16)
MATVEC_ANY_WIDTH_KERNEL(matvec_any_bf16, WeightBF16)

// The int8-x kernels (matvec_x8_<type>, one level) and their two-level "x16" twins (matvec_x16_<type>).
#define MATVEC_X8_KERNELS(prefix, LEVELS)                                                                    \
    extern "C" __global__ void __launch_bounds__(MATVEC_SB_WARPS * WARP_SIZE, MATVEC_SB_X8_BLOCKS_PER_SM)     \
        prefix##q4_k(const uint8_t* w, long long rowBytes, const float* x, float* y, int rows, int cols, int ksplit) { \
        matvec_superblocks<Q4KSuperBlockX8<LEVELS>>(OneMatrix{w, rowBytes, y}, PlainX{x}, rows, cols, ksplit);  \
    }                                                                                                       \
    MATVEC_X8_UNIT_KERNEL(prefix##q8_0, LEVELS, Q8_0X8Unit)                                                 \
    MATVEC_X8_UNIT_KERNEL(prefix##q4_0, LEVELS, Q4_0X8Unit)                                                 \
    MATVEC_X8_UNIT_KERNEL(prefix##q6_k, LEVELS, Q6KX8Unit)

#define MATVEC_X8_UNIT_KERNEL(name, LEVELS, U)                                                               \
    extern "C" __global__ void __launch_bounds__(MATVEC_X8_WARPS * WARP_SIZE, MATVEC_X8_BLOCKS_PER_SM)       \
        name(const uint8_t* w, long long rowBytes, const float* x, float* y, int rows, int cols, int ksplit) { \
        matvec_x8_units<LEVELS, U>(OneMatrix{w, rowBytes, y}, PlainX{x}, rows, cols, ksplit);               \
    }

MATVEC_X8_KERNELS(matvec_x8_, 1)
MATVEC_X8_KERNELS(matvec_x16_, 2)
