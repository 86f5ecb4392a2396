// silu(g) * u with silu(g) = g / (1 + e^-g): the one expression of SwiGLU that swiglu.cu and the staged
// SwiGLU sources (matvec_stage.cuh SwiGluX, matvec_any_width.cuh) use, so that every path gives the same bits.
#pragma once

__device__ __forceinline__ float silu_times(float g, float u) { return g / (1.0f + expf(-g)) * u; }
