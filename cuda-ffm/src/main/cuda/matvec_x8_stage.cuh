// x quantized to int8 per 32 elements in a block's shared memory, for the int8-activation ("x8") decode
// matvec kernels. Why: with float x a K-quant weight costs ~3.6 instructions (unpack, byte permute, FMA),
// so the q4_K kernel is issue-bound near 55 % of the memory bound; with int8 x four weights cost one dp4a
// plus a mask, ~1.1 instructions per weight. This is ggml's q8_1 idea (llama.cpp's CUDA decode does the
// same): x_k ~ d * q_k with d = max|x| / 127 over each aligned 32, q_k = x_k / d rounded to nearest even.
//
// One 48-byte record per 32 elements: q[0..32) as int8, then d (float), d times the sum of the 32 q
// (q4_K's minimum term), and the int sums of q over each half (q4_0's and q6_K's offsets:
// sum (n - 8) q = sum n q - 8 sum q). Every offset and minimum term takes the sums of the *quantized* x,
// so each product is exactly sum w x^ with x^ = d q: its error is sum w (x^ - x) over the centred
// weights. Taking q4_K's minimum term from the float sum instead leaves sum (w + min)(x^ - x), whose
// weights are all of one sign: that put synth-A Q4_K_M's logits at cosine 0.99896 from exact math on
// the worst row, 0.99969 with the quantized sums, llama.cpp's own (it sums quantized x too) at 0.99911
// (docs/perf/NOTES.md, decode round 6). 48 bytes rather than 32 + a separate table because a quarter-warp's 16-byte reads of eight consecutive records (the unit kernel)
// or of the q4_K lanes' runs then fall on distinct banks (stride 12 words).
//
// Two levels ("x16", MatVecInput.INT16): the same records with a second int8 level, q = 256 h + l, where
// d = max|x| / 32639 and h, l are the high and (signed) low bytes of the 16-bit q: every dot product is
// 256 (w . h) + (w . l) in int, two dp4a per four weights instead of one, and x^ lands within d/2 =
// max|x| / 65278 of x (int8: max|x| / 254), 257 times closer: whole-model logits then agree with the float
// path to a cosine of ~1 - 1e-8 instead of ~1 - 3e-4. Records are 80 bytes: h[32], l[32], then the same
// four words (d, d sum(q), the int sums of q over each half) with q the 16-bit value.
//
// Every block quantizes the whole x itself (as the float kernels stage it): no separate launch and no
// extra graph node; one thread per 32 elements, its eight 16-byte loads issued before any use.
#pragma once
#include "common.cuh"
#include "matvec_stage.cuh"

// int4s per record of LEVELS levels: q[0..16), q[16..32) (the high bytes h for two levels), then l[0..16),
// l[16..32) for two levels, then {d, sum, s0, s1}. 3 or 5 int4s (12 or 20 words): eight consecutive
// records' 16-byte reads fall on distinct banks either way.
template <int LEVELS>
__host__ __device__ constexpr int x8_record_int4s() { return 2 * LEVELS + 1; }

// The largest |q|: 127 for int8; for two levels 127 * 256 + 127, so that h = (q + 128) >> 8 stays in int8.
template <int LEVELS>
__host__ __device__ constexpr float x8_qmax() { return LEVELS == 1 ? 127.0f : 32639.0f; }

// 1.5 * 2^23: x * id + this, rounded once by the FMA, holds round-to-nearest-even(x * id) in its low
// mantissa bits, so the low byte is the two's complement int8 (|q| <= 127): no F2I (quarter rate).
#define X8_ROUND_MAGIC 12582912.0f

__device__ __forceinline__ uint32_t x8_pack4(float a, float b, float c, float d, float id) {
    const uint32_t qa = __float_as_uint(fmaf(a, id, X8_ROUND_MAGIC));
    const uint32_t qb = __float_as_uint(fmaf(b, id, X8_ROUND_MAGIC));
    const uint32_t qc = __float_as_uint(fmaf(c, id, X8_ROUND_MAGIC));
    const uint32_t qd = __float_as_uint(fmaf(d, id, X8_ROUND_MAGIC));
    return __byte_perm(__byte_perm(qa, qb, 0x0040u), __byte_perm(qc, qd, 0x0040u), 0x5410u);
}

// Two levels: q = round(x * id) is the low 16 bits of b = bits(x * id + 1.5 * 2^23) (|q| <= 32639 < 2^22),
// l its low byte, h = (q + 128) >> 8 the second byte of b + 128. Four values' h bytes into one word (low
// bytes as x8_pack4).
__device__ __forceinline__ uint32_t x16_pack4_high(float a, float b, float c, float d, float id) {
    const uint32_t qa = __float_as_uint(fmaf(a, id, X8_ROUND_MAGIC)) + 128u;
    const uint32_t qb = __float_as_uint(fmaf(b, id, X8_ROUND_MAGIC)) + 128u;
    const uint32_t qc = __float_as_uint(fmaf(c, id, X8_ROUND_MAGIC)) + 128u;
    const uint32_t qd = __float_as_uint(fmaf(d, id, X8_ROUND_MAGIC)) + 128u;
    return __byte_perm(__byte_perm(qa, qb, 0x0051u), __byte_perm(qc, qd, 0x0051u), 0x5410u);
}

// A record's eight words of bytes from its 32 values v (HIGH: the high bytes h of two levels, else q or l; x8_pack4,
// x16_pack4_high) and the int sums of each half's bytes.
template <bool HIGH>
__device__ __forceinline__ void x8_words(const float4 (&v)[8], float id, uint32_t (&w)[8], int& s0, int& s1) {
#pragma unroll
    for (int i = 0; i < 8; i++) {
        w[i] = HIGH ? x16_pack4_high(v[i].x, v[i].y, v[i].z, v[i].w, id) : x8_pack4(v[i].x, v[i].y, v[i].z, v[i].w, id);
    }
    s0 = 0;
    s1 = 0;
#pragma unroll
    for (int i = 0; i < 4; i++) {
        s0 = __dp4a((int) w[i], 0x01010101, s0);
        s1 = __dp4a((int) w[i + 4], 0x01010101, s1);
    }
}

// A record's scale d (x^ = d q) and its inverse id, from the largest magnitude of its values (id 0 for zeros).
struct X8Scale {
    float d, id;
};
template <int LEVELS>
__device__ __forceinline__ X8Scale x8_scale(float amax) {
    return X8Scale{amax / x8_qmax<LEVELS>(), amax > 0.0f ? x8_qmax<LEVELS>() / amax : 0.0f};
}

// A record's last int4: d, d times the sum of its q (q4_K's minimum term), the int sums of q over each half.
__device__ __forceinline__ int4 x8_meta_int4(float d, int s0, int s1) {
    return make_int4(__float_as_int(d), __float_as_int(d * (float) (s0 + s1)), s0, s1);
}

// Record u of x from its 32 values v, whose largest magnitude is amax.
template <int LEVELS>
__device__ __forceinline__ void x8_write_record(const float4 (&v)[8], float amax, int4* rec, int u) {
    constexpr int INT4S = x8_record_int4s<LEVELS>();
    const X8Scale scale = x8_scale<LEVELS>(amax);
    const float id = scale.id;
    uint32_t w[8];  // q (one level) or l (two levels)
    int s0, s1;
    x8_words<false>(v, id, w, s0, s1);
    int4* r = rec + INT4S * u;
    if constexpr (LEVELS == 2) {
        uint32_t h[8];
        int t0, t1;
        x8_words<true>(v, id, h, t0, t1);
        s0 += 256 * t0;
        s1 += 256 * t1;
        r[0] = make_int4((int) h[0], (int) h[1], (int) h[2], (int) h[3]);
        r[1] = make_int4((int) h[4], (int) h[5], (int) h[6], (int) h[7]);
        r[2] = make_int4((int) w[0], (int) w[1], (int) w[2], (int) w[3]);
        r[3] = make_int4((int) w[4], (int) w[5], (int) w[6], (int) w[7]);
    } else {
        r[0] = make_int4((int) w[0], (int) w[1], (int) w[2], (int) w[3]);
        r[1] = make_int4((int) w[4], (int) w[5], (int) w[6], (int) w[7]);
    }
    r[INT4S - 1] = x8_meta_int4(scale.d, s0, s1);
}

__device__ __forceinline__ float x8_amax(const float4 (&v)[8]) {
    float amax = 0.0f;
#pragma unroll
    for (int i = 0; i < 8; i++) {
        amax = fmaxf(amax, fmaxf(fmaxf(fabsf(v[i].x), fabsf(v[i].y)), fmaxf(fabsf(v[i].z), fabsf(v[i].w))));
    }
    return amax;
}

// Writes the records of x (from `source`, matvec_stage.cuh) to rec; cols is a multiple of 32. perThread 2: a
// thread takes two records per pass, all 16 loads issued before either is used, so that x of more records than
// the block has threads (the 14336 columns of the 8B's down projection: 448 records over a ring block's 288
// threads) comes in one round trip of the L2 instead of two; the same records (decode round 28, RingMatVec's
// -Dpagoda.cuda.ringStagePairs). Sources of one vector (PlainX) only; others take one record at a time.
template <int LEVELS, typename X>
__device__ __forceinline__ void stage_x8(const X& source, int4* rec, int cols, int perThread = 1) {
    const int units = cols >> 5;
    if constexpr (sizeof(typename X::Raw) == sizeof(float4)) {
        if (perThread == 2 && units > (int) blockDim.x) {
            for (int u = threadIdx.x; u < units; u += 2 * blockDim.x) {
                const int u2 = u + blockDim.x;
                float4 v[8], v2[8];
#pragma unroll
                for (int i = 0; i < 8; i++) v[i] = X::value(source.fetch(8 * u + i));
                if (u2 < units) {
#pragma unroll
                    for (int i = 0; i < 8; i++) v2[i] = X::value(source.fetch(8 * u2 + i));
                }
                x8_write_record<LEVELS>(v, x8_amax(v), rec, u);
                if (u2 < units) x8_write_record<LEVELS>(v2, x8_amax(v2), rec, u2);
            }
            return;
        }
    }
    for (int u = threadIdx.x; u < units; u += blockDim.x) {
        // Sources of two vectors (SwiGluX) fetch half a record at a time: eight of their loads in flight
        // with the 32 values would not fit the kernels' 64 registers.
        constexpr int BATCH = sizeof(typename X::Raw) > sizeof(float4) ? 4 : 8;
        float4 v[8];
#pragma unroll
        for (int b = 0; b < 8; b += BATCH) {
            typename X::Raw raw[BATCH];
#pragma unroll
            for (int i = 0; i < BATCH; i++) raw[i] = source.fetch(8 * u + b + i);
#pragma unroll
            for (int i = 0; i < BATCH; i++) v[b + i] = X::value(raw[i]);
        }
        x8_write_record<LEVELS>(v, x8_amax(v), rec, u);
    }
}

// Record u's parts.
struct X8Meta {
    float d, sum;
    int s0, s1;
};

template <int LEVELS>
__device__ __forceinline__ X8Meta x8_meta(const int4* rec, int u) {
    const int4 m = rec[x8_record_int4s<LEVELS>() * u + 2 * LEVELS];
    return X8Meta{__int_as_float(m.x), __int_as_float(m.y), m.z, m.w};
}

// sum over i < 16 of w_i q_i, w as four words of signed bytes, q one int4 of them: four dp4a.
__device__ __forceinline__ int dp4a16(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, const int4& q) {
    int s = __dp4a((int) w0, q.x, 0);
    s = __dp4a((int) w1, q.y, s);
    s = __dp4a((int) w2, q.z, s);
    return __dp4a((int) w3, q.w, s);
}

// sum over the 16 bytes of w of w_i q_i for one 16-element half of a record: q's int4 at `hi` (and, for
// two levels, l's at `lo`): 256 (w . h) + (w . l). The weight bytes must be in [-128, 127] as dp4a reads
// them and the sums within int range (|w| <= 127 over 32 elements: < 2^27).
template <int LEVELS>
__device__ __forceinline__ int x8_dot16(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, const int4* rec, int at) {
    int s = dp4a16(w0, w1, w2, w3, rec[at]);
    if constexpr (LEVELS == 2) {
        s = 256 * s + dp4a16(w0, w1, w2, w3, rec[at + 2]);
    }
    return s;
}
