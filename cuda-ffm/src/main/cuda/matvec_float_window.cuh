// Small unsigned integers turned into floats without a conversion instruction, for the decode matvec
// kernels. A byte 0x80 | v placed as byte 2 of a word whose byte 3 is 0x3F is the float 1 + v/128
// (exponent 127 from 0x3F plus bit 23, v in mantissa bits 16..22): one byte permute per weight, no
// I2F. The constant 1 is not subtracted per weight: a dot product that starts its accumulator at
// -sum(x) over the same elements ends at sum(v x)/128 exactly as far as rounding goes, and its
// intermediate values stay as small as a plain dot product's, so no precision is lost to cancellation.
#pragma once
#include <stdint.h>

// Four values packed as bytes (each 0x80 | v), dotted with v[base..base+3]: acc + sum (1 + v_k/128) x_k.
// Called from unrolled loops only, so base is a constant and x stays in registers.
template <int N>
__device__ __forceinline__ float window_dot4(uint32_t packed, const float (&x)[N], int base, float acc) {
#pragma unroll
    for (int k = 0; k < 4; k++) {
        const float q = __uint_as_float(__byte_perm(packed, 0x3F000000u, 0x7044u + 0x100u * k));
        acc = fmaf(q, x[base + k], acc);
    }
    return acc;
}

// The four low nibbles of a word's bytes as 0x80 | n << 3 (so window_dot4 sees 1 + n/16).
__device__ __forceinline__ uint32_t low_nibbles_window(uint32_t w) { return ((w << 3) & 0x78787878u) | 0x80808080u; }

// The four high nibbles of a word's bytes as 0x80 | n << 3.
__device__ __forceinline__ uint32_t high_nibbles_window(uint32_t w) { return ((w >> 1) & 0x78787878u) | 0x80808080u; }
