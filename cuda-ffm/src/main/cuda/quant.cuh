// Weight formats, ggml block layouts (ggml-common.h). Every format decodes a "unit": 32 consecutive
// elements of one row, into 32 registers (constant indices only, so nothing spills to local memory).
// Unit u of a row covers elements [32u, 32u + 32). Rows must hold a multiple of 32 elements for the
// unit; the float formats also read single elements (element(row, k), one load of exactly that
// element, no alignment beyond the element's own) for rows of any width (matvec_any_width.cuh).
#pragma once
#include "common.cuh"

// f32 row: 128 bytes per unit, eight 16-byte loads (row start 16-byte aligned); nothing to decode.
struct WeightF32 {
    __device__ __forceinline__ static void unit(const uint8_t* row, int u, float (&v)[32]) {
        const float4* p = reinterpret_cast<const float4*>(row + (size_t) u * 128);
#pragma unroll
        for (int i = 0; i < 8; i++) {
            const float4 w = __ldg(p + i);
            v[4 * i] = w.x;
            v[4 * i + 1] = w.y;
            v[4 * i + 2] = w.z;
            v[4 * i + 3] = w.w;
        }
    }
    __device__ __forceinline__ static float element(const uint8_t* row, int k) {
        return __ldg(reinterpret_cast<const float*>(row) + k);
    }
};

// f16 row: 64 bytes per unit, four 16-byte loads (row start 16-byte aligned).
struct WeightF16 {
    __device__ __forceinline__ static void unit(const uint8_t* row, int u, float (&v)[32]) {
        const uint4* p = reinterpret_cast<const uint4*>(row + (size_t) u * 64);
#pragma unroll
        for (int i = 0; i < 4; i++) {
            const uint4 w = __ldg(p + i);
            const uint32_t words[4] = {w.x, w.y, w.z, w.w};
#pragma unroll
            for (int j = 0; j < 4; j++) {
                v[i * 8 + 2 * j] = f16_bits_to_float(words[j]);
                v[i * 8 + 2 * j + 1] = f16_bits_to_float(words[j] >> 16);
            }
        }
    }
    __device__ __forceinline__ static float element(const uint8_t* row, int k) {
        return f16_bits_to_float(__ldg(reinterpret_cast<const unsigned short*>(row) + k));
    }
};

// bf16 row: as f16, with bfloat16 = the upper half of a float32.
struct WeightBF16 {
    __device__ __forceinline__ static void unit(const uint8_t* row, int u, float (&v)[32]) {
        const uint4* p = reinterpret_cast<const uint4*>(row + (size_t) u * 64);
#pragma unroll
        for (int i = 0; i < 4; i++) {
            const uint4 w = __ldg(p + i);
            const uint32_t words[4] = {w.x, w.y, w.z, w.w};
#pragma unroll
            for (int j = 0; j < 4; j++) {
                v[i * 8 + 2 * j] = __uint_as_float(words[j] << 16);
                v[i * 8 + 2 * j + 1] = __uint_as_float(words[j] & 0xffff0000u);
            }
        }
    }
    __device__ __forceinline__ static float element(const uint8_t* row, int k) {
        return bf16_bits_to_float(__ldg(reinterpret_cast<const unsigned short*>(row) + k));
    }
};

// q8_0 (34 bytes): d f16 @0, qs int8[32] @2. value = q * d. Blocks are only 2-byte aligned.
struct WeightQ8_0 {
    __device__ __forceinline__ static void unit(const uint8_t* row, int u, float (&v)[32]) {
        const uint8_t* b = row + (size_t) u * 34;
        const float d = load_f16(b);
        const uint16_t* qs = reinterpret_cast<const uint16_t*>(b + 2);
#pragma unroll
        for (int i = 0; i < 16; i++) {
            const uint32_t w = __ldg(qs + i);
            v[2 * i] = d * (float) (int8_t) (w & 0xffu);
            v[2 * i + 1] = d * (float) (int8_t) (w >> 8);
        }
    }
};

// q4_0 (18 bytes): d f16 @0, qs[16] @2. Element j < 16 = low nibble of qs[j], j + 16 = its high nibble;
// value = (nibble - 8) * d.
struct WeightQ4_0 {
    __device__ __forceinline__ static void unit(const uint8_t* row, int u, float (&v)[32]) {
        const uint8_t* b = row + (size_t) u * 18;
        const float d = load_f16(b);
        const uint16_t* qs = reinterpret_cast<const uint16_t*>(b + 2);
#pragma unroll
        for (int i = 0; i < 8; i++) {
            const uint32_t w = __ldg(qs + i);
            v[2 * i] = d * ((float) (w & 0xfu) - 8.0f);
            v[2 * i + 1] = d * ((float) ((w >> 8) & 0xfu) - 8.0f);
            v[2 * i + 16] = d * ((float) ((w >> 4) & 0xfu) - 8.0f);
            v[2 * i + 17] = d * ((float) ((w >> 12) & 0xfu) - 8.0f);
        }
    }
};

// The 6-bit scale and min of sub-block j (0..7) of a q4_K / q5_K block (ggml get_scale_min_k4).
__device__ __forceinline__ void k_scale_min(const uint8_t* scales, int j, float& sc, float& m) {
    if (j < 4) {
        sc = (float) (scales[j] & 63);
        m = (float) (scales[j + 4] & 63);
    } else {
        sc = (float) ((scales[j + 4] & 0xf) | ((scales[j - 4] >> 6) << 4));
        m = (float) ((scales[j + 4] >> 4) | ((scales[j] >> 6) << 4));
    }
}

// 32 bytes at a 16-byte aligned address, as eight words.
__device__ __forceinline__ void load32(const uint8_t* p, uint32_t (&w)[8]) {
    const uint4 a = __ldg(reinterpret_cast<const uint4*>(p));
    const uint4 b = __ldg(reinterpret_cast<const uint4*>(p) + 1);
    w[0] = a.x; w[1] = a.y; w[2] = a.z; w[3] = a.w;
    w[4] = b.x; w[5] = b.y; w[6] = b.z; w[7] = b.w;
}

// q4_K (144 bytes, 256 elements): d f16 @0, dmin f16 @2, scales[12] @4, qs[128] @16. Sub-block s (our
// unit) uses scale/min s; its quants are the low (s even) or high (s odd) nibbles of qs[32*(s/2) ..].
// value = d * sc * q - dmin * m.
struct WeightQ4_K {
    __device__ __forceinline__ static void unit(const uint8_t* row, int u, float (&v)[32]) {
        const uint8_t* b = row + (size_t) (u >> 3) * 144;
        const int s = u & 7;
        const float d = load_f16(b), dmin = load_f16(b + 2);
        float sc, m;
        k_scale_min(b + 4, s, sc, m);
        const float ds = d * sc, dm = dmin * m;
        uint32_t q[8];
        load32(b + 16 + 32 * (s >> 1), q);
        const int shift = (s & 1) * 4;
#pragma unroll
        for (int i = 0; i < 8; i++) {
#pragma unroll
            for (int k = 0; k < 4; k++) {
                v[4 * i + k] = ds * (float) ((q[i] >> (8 * k + shift)) & 0xfu) - dm;
            }
        }
    }
};

// q5_K (176 bytes): d @0, dmin @2, scales[12] @4, qh[32] @16, qs[128] @48. As q4_K plus a fifth bit:
// element l of sub-block s has bit s of qh[l].
struct WeightQ5_K {
    __device__ __forceinline__ static void unit(const uint8_t* row, int u, float (&v)[32]) {
        const uint8_t* b = row + (size_t) (u >> 3) * 176;
        const int s = u & 7;
        const float d = load_f16(b), dmin = load_f16(b + 2);
        float sc, m;
        k_scale_min(b + 4, s, sc, m);
        const float ds = d * sc, dm = dmin * m;
        uint32_t q[8], h[8];
        load32(b + 48 + 32 * (s >> 1), q);
        load32(b + 16, h);
        const int shift = (s & 1) * 4;
#pragma unroll
        for (int i = 0; i < 8; i++) {
#pragma unroll
            for (int k = 0; k < 4; k++) {
                const uint32_t lo = (q[i] >> (8 * k + shift)) & 0xfu;
                const uint32_t hi = (h[i] >> (8 * k + s)) & 1u;
                v[4 * i + k] = ds * (float) (lo | (hi << 4)) - dm;
            }
        }
    }
};

// q6_K (210 bytes): ql[128] @0, qh[64] @128, scales int8[16] @192, d f16 @208. Our unit s: half h = s/4,
// quarter c = s%4; element l takes the low (c < 2) or high nibble of ql[64h + 32(c&1) + l], bits
// 2c..2c+1 of qh[32h + l], and scale[8h + 2c + l/16]. value = d * scale * (q - 32). 2-byte aligned.
struct WeightQ6_K {
    __device__ __forceinline__ static void unit(const uint8_t* row, int u, float (&v)[32]) {
        const uint8_t* b = row + (size_t) (u >> 3) * 210;
        const int s = u & 7, h = s >> 2, c = s & 3;
        const float d = load_f16(b + 208);
        const int8_t* scales = reinterpret_cast<const int8_t*>(b + 192 + 8 * h + 2 * c);
        const float d0 = d * (float) scales[0], d1 = d * (float) scales[1];
        const uint16_t* ql = reinterpret_cast<const uint16_t*>(b + 64 * h + 32 * (c & 1));
        const uint16_t* qh = reinterpret_cast<const uint16_t*>(b + 128 + 32 * h);
        const int lowShift = (c >> 1) * 4, highShift = 2 * c;
#pragma unroll
        for (int i = 0; i < 16; i++) {
            const uint32_t l = __ldg(ql + i), hb = __ldg(qh + i);
#pragma unroll
            for (int k = 0; k < 2; k++) {
                const int q = (int) (((l >> (8 * k + lowShift)) & 0xfu) | (((hb >> (8 * k + highShift)) & 3u) << 4)) - 32;
                v[2 * i + k] = (2 * i + k < 16 ? d0 : d1) * (float) q;
            }
        }
    }
};
