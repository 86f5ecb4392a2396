// Weight formats for the prefill matmul, ggml block layouts (ggml-common.h), decoded 16 elements at a
// time straight to f16: a thread's share of one k step is the "slice" [k, k + 16) of one row (k a
// multiple of 16). Each format splits its work in two so that the global loads of the next step can be
// issued before the current step's matrix work and consumed after it:
//   load(row, k, raw)  only global loads (and address arithmetic) into the registers of raw;
//   decode(raw, out)   integer/half arithmetic into eight half2 words (elements k .. k + 15 in order).
// Quantized values become exact f16 integers with the 0x6400 trick (the half with bits 0x6400 | n is
// 1024 + n for n < 1024), so a pair of elements costs a byte permute, a subtract and a multiply(-add)
// in half2, never an int-to-float conversion.
// Self-contained on purpose: the matvec side edits common.cuh / quant.cuh independently.
#pragma once
#include <cuda_fp16.h>
#include <stdint.h>

namespace mm {

__device__ __forceinline__ half2 as_half2(uint32_t u) {
    return *reinterpret_cast<half2*>(&u);
}

__device__ __forceinline__ uint32_t as_u32(half2 h) {
    return *reinterpret_cast<uint32_t*>(&h);
}

// Four bytes n0..n3 (each < 64) -> the half2 words (1024 + n0, 1024 + n1) and (1024 + n2, 1024 + n3).
__device__ __forceinline__ void biased_pairs(uint32_t bytes, half2& lo, half2& hi) {
    lo = as_half2(__byte_perm(bytes, 0x64646464u, 0x5140));
    hi = as_half2(__byte_perm(bytes, 0x64646464u, 0x5342));
}

__device__ __forceinline__ float f16_bits(uint32_t bits16) {
    return __half2float(__ushort_as_half((unsigned short) (bits16 & 0xffffu)));
}

// 16 bytes at a 2-byte aligned address p. When p is not 4-byte aligned the words start 2 bytes before
// p (inside the same buffer: a misaligned p is never the buffer's first byte) and a 16-bit load ends
// at p + 16, so nothing outside [p - 2, p + 16) is read.
__device__ __forceinline__ void load16_a2(const uint8_t* p, uint32_t (&q)[4]) {
    if ((reinterpret_cast<uintptr_t>(p) & 3u) == 0) {
        const uint32_t* w = reinterpret_cast<const uint32_t*>(p);
#pragma unroll
        for (int i = 0; i < 4; i++) q[i] = __ldg(w + i);
    } else {
        const uint32_t* w = reinterpret_cast<const uint32_t*>(p - 2);
        uint32_t v[5];
#pragma unroll
        for (int i = 0; i < 4; i++) v[i] = __ldg(w + i);
        v[4] = __ldg(reinterpret_cast<const uint16_t*>(p + 14));
#pragma unroll
        for (int i = 0; i < 4; i++) q[i] = __funnelshift_r(v[i], v[i + 1], 16);
    }
}

__device__ __forceinline__ void copy_words(const uint4& a, const uint4& b, uint32_t (&out)[8]) {
    out[0] = a.x; out[1] = a.y; out[2] = a.z; out[3] = a.w;
    out[4] = b.x; out[5] = b.y; out[6] = b.z; out[7] = b.w;
}

// f32 row: the slice is 64 bytes at 4k (16-byte aligned), each pair rounded to f16 to nearest even as
// matmul_to_half rounds the activations.
struct SliceF32 {
    struct Raw { float4 a, b, c, d; };
    __device__ __forceinline__ static void load(const uint8_t* row, int k, Raw& r) {
        const float4* p = reinterpret_cast<const float4*>(row + 4 * (size_t) k);
        r.a = __ldg(p);
        r.b = __ldg(p + 1);
        r.c = __ldg(p + 2);
        r.d = __ldg(p + 3);
    }
    __device__ __forceinline__ static void decode(const Raw& r, uint32_t (&out)[8]) {
        const float4 q[4] = {r.a, r.b, r.c, r.d};
#pragma unroll
        for (int i = 0; i < 4; i++) {
            out[2 * i] = as_u32(__floats2half2_rn(q[i].x, q[i].y));
            out[2 * i + 1] = as_u32(__floats2half2_rn(q[i].z, q[i].w));
        }
    }
};

// f16 row: the slice is 32 bytes at 2k (16-byte aligned).
struct SliceF16 {
    struct Raw { uint4 a, b; };
    __device__ __forceinline__ static void load(const uint8_t* row, int k, Raw& r) {
        const uint4* p = reinterpret_cast<const uint4*>(row + 2 * (size_t) k);
        r.a = __ldg(p);
        r.b = __ldg(p + 1);
    }
    __device__ __forceinline__ static void decode(const Raw& r, uint32_t (&out)[8]) { copy_words(r.a, r.b, out); }
};

// bf16 row: as f16, each value widened to float32 (its upper half) and rounded to f16.
struct SliceBF16 {
    struct Raw { uint4 a, b; };
    __device__ __forceinline__ static void load(const uint8_t* row, int k, Raw& r) { SliceF16::load(row, k, reinterpret_cast<SliceF16::Raw&>(r)); }
    __device__ __forceinline__ static void decode(const Raw& r, uint32_t (&out)[8]) {
        uint32_t w[8];
        copy_words(r.a, r.b, w);
#pragma unroll
        for (int i = 0; i < 8; i++) out[i] = as_u32(__floats2half2_rn(__uint_as_float(w[i] << 16), __uint_as_float(w[i] & 0xffff0000u)));
    }
};

// f32 / f16 / bf16 rows of any width (matmul_any_<type>): rows are not 16-byte aligned when the width
// is not a multiple of 32 (and not even 4-byte aligned for f16 of an odd width), so the slice is read
// element by element, and elements at or past the row's end (the last, partial k step) are not read
// but taken as 0. Each value is rounded to f16 to nearest even as the aligned slices round them.
struct ElementF32 {
    __device__ __forceinline__ static float at(const uint8_t* row, int k) { return __ldg(reinterpret_cast<const float*>(row) + k); }
};
struct ElementF16 {
    __device__ __forceinline__ static float at(const uint8_t* row, int k) {
        return f16_bits(__ldg(reinterpret_cast<const unsigned short*>(row) + k));
    }
};
struct ElementBF16 {
    __device__ __forceinline__ static float at(const uint8_t* row, int k) {
        return __uint_as_float((uint32_t) __ldg(reinterpret_cast<const unsigned short*>(row) + k) << 16);
    }
};

template <typename E>
struct SliceAnyWidth {
    struct Raw { float v[16]; };
    __device__ __forceinline__ static void load(const uint8_t* row, int k, int cols, Raw& r) {
#pragma unroll
        for (int i = 0; i < 16; i++) r.v[i] = k + i < cols ? E::at(row, k + i) : 0.0f;
    }
    __device__ __forceinline__ static void decode(const Raw& r, uint32_t (&out)[8]) {
#pragma unroll
        for (int i = 0; i < 8; i++) out[i] = as_u32(__floats2half2_rn(r.v[2 * i], r.v[2 * i + 1]));
    }
};

// Whether W reads a row of any width (its load takes the row's length).
template <typename W>
struct reads_any_width { static constexpr bool value = false; };
template <typename E>
struct reads_any_width<SliceAnyWidth<E>> { static constexpr bool value = true; };

// The f16 activations' row pitch in halves for rows of cols elements: cols rounded up to whole k steps
// of 32, the pad zero (matmul_to_half_rows), so every 16-byte cp.async of a row is aligned and the
// partial last k step reads zeros.
__host__ __device__ __forceinline__ int half_pitch(int cols) { return (cols + 31) & ~31; }

// q8_0 (34 bytes per 32): d f16 @0, qs int8[32] @2; value = q * d. The slice is half h of a block.
// Signed bytes: q + 128 = q ^ 0x80, so 1024 + q + 128 comes out of the biased pair; subtract 1152.
struct SliceQ8_0 {
    struct Raw { uint32_t q[4]; uint32_t d; };
    __device__ __forceinline__ static void load(const uint8_t* row, int k, Raw& r) {
        const uint8_t* b = row + (size_t) (k >> 5) * 34;
        r.d = __ldg(reinterpret_cast<const uint16_t*>(b));
        load16_a2(b + 2 + 16 * ((k >> 4) & 1), r.q);
    }
    __device__ __forceinline__ static void decode(const Raw& r, uint32_t (&out)[8]) {
        const half2 d = __half2half2(__ushort_as_half((unsigned short) r.d));
        const half2 bias = __floats2half2_rn(1152.0f, 1152.0f);
#pragma unroll
        for (int i = 0; i < 4; i++) {
            half2 lo, hi;
            biased_pairs(r.q[i] ^ 0x80808080u, lo, hi);
            out[2 * i] = as_u32(__hmul2(__hsub2(lo, bias), d));
            out[2 * i + 1] = as_u32(__hmul2(__hsub2(hi, bias), d));
        }
    }
};

// q4_0 (18 bytes per 32): d f16 @0, qs[16] @2. Element j < 16 = low nibble of qs[j], j + 16 = its
// high nibble; value = (nibble - 8) * d. Slice h takes the nibbles h of all 16 bytes.
struct SliceQ4_0 {
    struct Raw { uint32_t q[4]; uint32_t d; int shift; };
    __device__ __forceinline__ static void load(const uint8_t* row, int k, Raw& r) {
        const uint8_t* b = row + (size_t) (k >> 5) * 18;
        r.d = __ldg(reinterpret_cast<const uint16_t*>(b));
        load16_a2(b + 2, r.q);
        r.shift = 4 * ((k >> 4) & 1);
    }
    __device__ __forceinline__ static void decode(const Raw& r, uint32_t (&out)[8]) {
        const half2 d = __half2half2(__ushort_as_half((unsigned short) r.d));
        const half2 bias = __floats2half2_rn(1032.0f, 1032.0f);
#pragma unroll
        for (int i = 0; i < 4; i++) {
            half2 lo, hi;
            biased_pairs((r.q[i] >> r.shift) & 0x0f0f0f0fu, lo, hi);
            out[2 * i] = as_u32(__hmul2(__hsub2(lo, bias), d));
            out[2 * i + 1] = as_u32(__hmul2(__hsub2(hi, bias), d));
        }
    }
};

// Byte i (0..11, not a compile-time constant) of the 12 scale bytes held in three words.
__device__ __forceinline__ uint32_t scale_byte(uint32_t s0, uint32_t s1, uint32_t s2, int i) {
    const uint32_t w = i < 4 ? s0 : (i < 8 ? s1 : s2);
    return (w >> (8 * (i & 3))) & 0xffu;
}

// The header of a q4_K / q5_K block (d, dmin, scales[12]: its first 16 bytes) -> d * scale and
// dmin * min of sub-block s (ggml get_scale_min_k4), as half2 pairs.
__device__ __forceinline__ void k_scale_min(const uint4& head, int s, half2& ds, half2& dm) {
    uint32_t sc, m;
    if (s < 4) {
        sc = scale_byte(head.y, head.z, head.w, s) & 63u;
        m = scale_byte(head.y, head.z, head.w, s + 4) & 63u;
    } else {
        const uint32_t hiByte = scale_byte(head.y, head.z, head.w, s + 4);
        sc = (hiByte & 0xfu) | ((scale_byte(head.y, head.z, head.w, s - 4) >> 6) << 4);
        m = (hiByte >> 4) | ((scale_byte(head.y, head.z, head.w, s) >> 6) << 4);
    }
    const float d = f16_bits(head.x), dmin = f16_bits(head.x >> 16);
    ds = __float2half2_rn(d * (float) sc);
    dm = __float2half2_rn(dmin * (float) m);
}

// q4_K (144 bytes per 256): d @0, dmin @2, scales[12] @4, qs[128] @16. Sub-block s = element / 32 uses
// scale/min s; its quants are the low (s even) or high (s odd) nibbles of qs[32 (s / 2) ..]; value =
// d * sc * q - dmin * m. Blocks are 16-byte aligned, so the header and the slice's 16 quant bytes are
// one 16-byte load each.
struct SliceQ4_K {
    struct Raw { uint4 head, q; int s; };
    __device__ __forceinline__ static void load(const uint8_t* row, int k, Raw& r) {
        const uint8_t* b = row + (size_t) (k >> 8) * 144;
        r.s = (k >> 5) & 7;
        r.head = __ldg(reinterpret_cast<const uint4*>(b));
        r.q = __ldg(reinterpret_cast<const uint4*>(b + 16 + 32 * (r.s >> 1) + 16 * ((k >> 4) & 1)));
    }
    __device__ __forceinline__ static void decode(const Raw& r, uint32_t (&out)[8]) {
        half2 ds, dm;
        k_scale_min(r.head, r.s, ds, dm);
        const half2 bias = __floats2half2_rn(1024.0f, 1024.0f);
        const half2 negMin = __hneg2(dm);
        const int shift = 4 * (r.s & 1);
        const uint32_t q[4] = {r.q.x, r.q.y, r.q.z, r.q.w};
#pragma unroll
        for (int i = 0; i < 4; i++) {
            half2 lo, hi;
            biased_pairs((q[i] >> shift) & 0x0f0f0f0fu, lo, hi);
            out[2 * i] = as_u32(__hfma2(__hsub2(lo, bias), ds, negMin));
            out[2 * i + 1] = as_u32(__hfma2(__hsub2(hi, bias), ds, negMin));
        }
    }
};

// q5_K (176 bytes per 256): d @0, dmin @2, scales[12] @4, qh[32] @16, qs[128] @48. As q4_K plus a
// fifth bit: element l of sub-block s has bit s of qh[l].
struct SliceQ5_K {
    struct Raw { uint4 head, h, q; int s; };
    __device__ __forceinline__ static void load(const uint8_t* row, int k, Raw& r) {
        const uint8_t* b = row + (size_t) (k >> 8) * 176;
        const int half = (k >> 4) & 1;
        r.s = (k >> 5) & 7;
        r.head = __ldg(reinterpret_cast<const uint4*>(b));
        r.h = __ldg(reinterpret_cast<const uint4*>(b + 16 + 16 * half));
        r.q = __ldg(reinterpret_cast<const uint4*>(b + 48 + 32 * (r.s >> 1) + 16 * half));
    }
    __device__ __forceinline__ static void decode(const Raw& r, uint32_t (&out)[8]) {
        half2 ds, dm;
        k_scale_min(r.head, r.s, ds, dm);
        const half2 bias = __floats2half2_rn(1024.0f, 1024.0f);
        const half2 negMin = __hneg2(dm);
        const int shift = 4 * (r.s & 1);
        const uint32_t q[4] = {r.q.x, r.q.y, r.q.z, r.q.w};
        const uint32_t h[4] = {r.h.x, r.h.y, r.h.z, r.h.w};
#pragma unroll
        for (int i = 0; i < 4; i++) {
            half2 lo, hi;
            biased_pairs(((q[i] >> shift) & 0x0f0f0f0fu) | (((h[i] >> r.s) & 0x01010101u) << 4), lo, hi);
            out[2 * i] = as_u32(__hfma2(__hsub2(lo, bias), ds, negMin));
            out[2 * i + 1] = as_u32(__hfma2(__hsub2(hi, bias), ds, negMin));
        }
    }
};

// q6_K (210 bytes per 256, 2-byte aligned): ql[128] @0, qh[64] @128, scales int8[16] @192, d f16 @208.
// Sub-block s: half H = s / 4, quarter c = s % 4; its element l takes the low (c < 2) or high nibble of
// ql[64H + 32(c & 1) + l], bits 2c..2c+1 of qh[32H + l] and scale[8H + 2c + l / 16]; value =
// d * scale * (q - 32). A slice (16 elements) has a single scale.
struct SliceQ6_K {
    struct Raw { uint32_t l[4], h[4]; uint32_t d; int scale; int s; };
    __device__ __forceinline__ static void load(const uint8_t* row, int k, Raw& r) {
        const uint8_t* b = row + (size_t) (k >> 8) * 210;
        const int s = (k >> 5) & 7, hh = s >> 2, c = s & 3, half = (k >> 4) & 1;
        r.s = s;
        load16_a2(b + 64 * hh + 32 * (c & 1) + 16 * half, r.l);
        load16_a2(b + 128 + 32 * hh + 16 * half, r.h);
        r.scale = (int) __ldg(reinterpret_cast<const signed char*>(b + 192 + 8 * hh + 2 * c + half));
        r.d = __ldg(reinterpret_cast<const uint16_t*>(b + 208));
    }
    __device__ __forceinline__ static void decode(const Raw& r, uint32_t (&out)[8]) {
        const half2 ds = __float2half2_rn(f16_bits(r.d) * (float) r.scale);
        const half2 bias = __floats2half2_rn(1056.0f, 1056.0f);
        const int c = r.s & 3, lowShift = 4 * (c >> 1), highShift = 2 * c;
#pragma unroll
        for (int i = 0; i < 4; i++) {
            half2 lo, hi;
            biased_pairs(((r.l[i] >> lowShift) & 0x0f0f0f0fu) | (((r.h[i] >> highShift) & 0x03030303u) << 4), lo, hi);
            out[2 * i] = as_u32(__hmul2(__hsub2(lo, bias), ds));
            out[2 * i + 1] = as_u32(__hmul2(__hsub2(hi, bias), ds));
        }
    }
};

}  // namespace mm
