// The decode step's fused matrix-vector launches (same kernels as matvec.cu, other row and x sources):
//  - matvec_rows3_<type>: up to three matrices of one format and width in one launch, their rows
//    numbered one after another (q/k/v, gate/up; an unused third matrix has 0 rows), each with its own y;
//  - matvec_swiglu_<type>: y = W (silu(gate) * up), the SwiGLU done while x is staged (the FFN down
//    projection without a separate swiglu launch).
// Float rows whose width is not a multiple of 32 run the same two launches as matvec_rows3_any_<type>
// and matvec_swiglu_any_<type> (matvec_any_width.cuh). matvec_rows3_x8_<type> and matvec_swiglu_x8_<type>
// are the int8-activation kernels of matvec.cu (x, or silu(gate) * up, quantized while it is staged);
// matvec_rows3_x16_<type> and matvec_swiglu_x16_<type> their two-level (16-bit x) twins.
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

#define MATVEC_FUSED_KERNELS(suffix, U)                                                                      \
    extern "C" __global__ void __launch_bounds__(MATVEC_WARPS * WARP_SIZE)                                 \
        matvec_rows3_##suffix(const uint8_t* w0, const uint8_t* w1, const uint8_t* w2, long long rowBytes,  \
                              const float* x, float* y0, float* y1, float* y2, int rows0, int rows1,        \
                              int rows2, int cols) {                                                        \
        const ThreeMatrices m{w0, w1, w2, rowBytes, y0, y1, y2, rows0, rows0 + rows1};                      \
        matvec_units<U>(m, PlainX{x}, rows0 + rows1 + rows2, cols);                                         \
    }                                                                                                       \
    extern "C" __global__ void __launch_bounds__(MATVEC_WARPS * WARP_SIZE)                                 \
        matvec_swiglu_##suffix(const uint8_t* w, long long rowBytes, const float* gate, const float* up,    \
                               float* y, int rows, int cols) {                                              \
        matvec_units<U>(OneMatrix{w, rowBytes, y}, SwiGluX{gate, up}, rows, cols);                          \
    }

MATVEC_FUSED_KERNELS(f32, DecodedUnit<WeightF32>)
MATVEC_FUSED_KERNELS(f16, DecodedUnit<WeightF16>)
MATVEC_FUSED_KERNELS(bf16, DecodedUnit<WeightBF16>)
MATVEC_FUSED_KERNELS(q8_0, DecodedUnit<WeightQ8_0>)
MATVEC_FUSED_KERNELS(q4_0, DecodedUnit<WeightQ4_0>)
MATVEC_FUSED_KERNELS(q5_k, DecodedUnit<WeightQ5_K>)

extern "C" __global__ void __launch_bounds__(MATVEC_Q6K_WARPS * WARP_SIZE, MATVEC_Q6K_BLOCKS_PER_SM)
    matvec_rows3_q6_k(const uint8_t* w0, const uint8_t* w1, const uint8_t* w2, long long rowBytes, const float* x,
                      float* y0, float* y1, float* y2, int rows0, int rows1, int rows2, int cols, int ksplit) {
    const ThreeMatrices m{w0, w1, w2, rowBytes, y0, y1, y2, rows0, rows0 + rows1};
    matvec_q6k_units(m, PlainX{x}, rows0 + rows1 + rows2, cols, ksplit);
}

extern "C" __global__ void __launch_bounds__(MATVEC_Q6K_WARPS * WARP_SIZE, MATVEC_Q6K_BLOCKS_PER_SM)
    matvec_swiglu_q6_k(const uint8_t* w, long long rowBytes, const float* gate, const float* up, float* y, int rows,
                       int cols, int ksplit) {
    matvec_q6k_units(OneMatrix{w, rowBytes, y}, SwiGluX{gate, up}, rows, cols, ksplit);
}

extern "C" __global__ void __launch_bounds__(MATVEC_SB_WARPS * WARP_SIZE, 2)
    matvec_rows3_q4_k(const uint8_t* w0, const uint8_t* w1, const uint8_t* w2, long long rowBytes, const float* x,
                      float* y0, float* y1, float* y2, int rows0, int rows1, int rows2, int cols, int ksplit) {
    const ThreeMatrices m{w0, w1, w2, rowBytes, y0, y1, y2, rows0, rows0 + rows1};
    matvec_superblocks<Q4KSuperBlock>(m, PlainX{x}, rows0 + rows1 + rows2, cols, ksplit);
}

extern "C" __global__ void __launch_bounds__(MATVEC_SB_WARPS * WARP_SIZE, 2)
    matvec_swiglu_q4_k(const uint8_t* w, long long rowBytes, const float* gate, const float* up, float* y, int rows,
                       int cols, int ksplit) {
    matvec_superblocks<Q4KSuperBlock>(OneMatrix{w, rowBytes, y}, SwiGluX{gate, up}, rows, cols, ksplit);
}

#define MATVEC_FUSED_ANY_WIDTH_KERNELS(suffix, W)                                                            \
    extern "C" __global__ void __launch_bounds__(MATVEC_WARPS * WARP_SIZE)                                 \
        matvec_rows3_any_##suffix(const uint8_t* w0, const uint8_t* w1, const uint8_t* w2, long long rowBytes, \
                                  const float* x, float* y0, float* y1, float* y2, int rows0, int rows1,    \
                                  int rows2, int cols) {                                                    \
        const ThreeMatrices m{w0, w1, w2, rowBytes, y0, y1, y2, rows0, rows0 + rows1};                      \
        matvec_any_width<W>(m, PlainElements{x}, rows0 + rows1 + rows2, cols);                              \
    }                                                                                                       \
    extern "C" __global__ void __launch_bounds__(MATVEC_WARPS * WARP_SIZE)                                 \
        matvec_swiglu_any_##suffix(const uint8_t* w, long long rowBytes, const float* gate, const float* up, \
                                   float* y, int rows, int cols) {                                          \
        matvec_any_width<W>(OneMatrix{w, rowBytes, y}, SwiGluElements{gate, up}, rows, cols);               \
    }

MATVEC_FUSED_ANY_WIDTH_KERNELS(f32, WeightF32)
MATVEC_FUSED_ANY_WIDTH_KERNELS(f16, WeightF16)
MATVEC_FUSED_ANY_WIDTH_KERNELS(bf16, WeightBF16)

// The int8-x kernels (x8: one level) and their two-level twins (x16), matvec.cu's bodies.
#define MATVEC_FUSED_X8_Q4K_KERNELS(x, LEVELS)                                                               \
    extern "C" __global__ void __launch_bounds__(MATVEC_SB_WARPS * WARP_SIZE, MATVEC_SB_X8_BLOCKS_PER_SM)     \
        matvec_rows3_##x##_q4_k(const uint8_t* w0, const uint8_t* w1, const uint8_t* w2, long long rowBytes,  \
                                const float* x, float* y0, float* y1, float* y2, int rows0, int rows1, int rows2, \
                                int cols, int ksplit) {                                                      \
        const ThreeMatrices m{w0, w1, w2, rowBytes, y0, y1, y2, rows0, rows0 + rows1};                      \
        matvec_superblocks<Q4KSuperBlockX8<LEVELS>>(m, PlainX{x}, rows0 + rows1 + rows2, cols, ksplit);      \
    }                                                                                                       \
    extern "C" __global__ void __launch_bounds__(MATVEC_SB_WARPS * WARP_SIZE, MATVEC_SB_X8_BLOCKS_PER_SM)     \
        matvec_swiglu_##x##_q4_k(const uint8_t* w, long long rowBytes, const float* gate, const float* up,     \
                                 float* y, int rows, int cols, int ksplit) {                                \
        matvec_superblocks<Q4KSuperBlockX8<LEVELS>>(OneMatrix{w, rowBytes, y}, SwiGluX{gate, up}, rows, cols, ksplit); \
    }

MATVEC_FUSED_X8_Q4K_KERNELS(x8, 1)
MATVEC_FUSED_X8_Q4K_KERNELS(x16, 2)

#define MATVEC_FUSED_X8_KERNELS(x, LEVELS, suffix, U)                                                        \
    extern "C" __global__ void __launch_bounds__(MATVEC_X8_WARPS * WARP_SIZE, MATVEC_X8_BLOCKS_PER_SM)       \
        matvec_rows3_##x##_##suffix(const uint8_t* w0, const uint8_t* w1, const uint8_t* w2, long long rowBytes, \
                                    const float* x, float* y0, float* y1, float* y2, int rows0, int rows1,  \
                                    int rows2, int cols, int ksplit) {                                      \
        const ThreeMatrices m{w0, w1, w2, rowBytes, y0, y1, y2, rows0, rows0 + rows1};                      \
        matvec_x8_units<LEVELS, U>(m, PlainX{x}, rows0 + rows1 + rows2, cols, ksplit);                      \
    }                                                                                                       \
    extern "C" __global__ void __launch_bounds__(MATVEC_X8_WARPS * WARP_SIZE, MATVEC_X8_BLOCKS_PER_SM)       \
        matvec_swiglu_##x##_##suffix(const uint8_t* w, long long rowBytes, const float* gate, const float* up, \
                                     float* y, int rows, int cols, int ksplit) {                            \
        matvec_x8_units<LEVELS, U>(OneMatrix{w, rowBytes, y}, SwiGluX{gate, up}, rows, cols, ksplit);       \
    }

MATVEC_FUSED_X8_KERNELS(x8, 1, q8_0, Q8_0X8Unit)
MATVEC_FUSED_X8_KERNELS(x8, 1, q4_0, Q4_0X8Unit)
MATVEC_FUSED_X8_KERNELS(x8, 1, q6_k, Q6KX8Unit)
MATVEC_FUSED_X8_KERNELS(x16, 2, q8_0, Q8_0X8Unit)
MATVEC_FUSED_X8_KERNELS(x16, 2, q4_0, Q4_0X8Unit)
MATVEC_FUSED_X8_KERNELS(x16, 2, q6_k, Q6KX8Unit)
