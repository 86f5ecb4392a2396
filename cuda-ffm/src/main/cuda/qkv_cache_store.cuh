// One token's q, k and v as the q/k/v ring launch stores them when it also does rope_qk_store's work
// (decode_fused.cu): q and k rotated (RoPE NORM mode, rope_pair.cuh) and written back, k and v also stored
// into the f16 caches at row positions[0]. Why: as its own launch, rope_qk_store sat between the q/k/v ring
// and the attention on the decode step's chain, one more programmatic wait of ~3-4 us per layer for ~30 KB
// of work (docs/perf/NOTES.md, decode round 29); a q4_K ring warp already holds both elements of a rotated
// pair (rows 2w and 2w + 1 of a tile), so it can rotate and store them as it writes them.
//
// Same bits as the two launches: the pair is the pair of stored products, rotated by rope_rotate, rounded to
// f16 by __float2half_rn, as rope_qk_store does; rows outside [0, capacity) are not written to the caches.
#pragma once
#include "common.cuh"
#include "matvec_rows.cuh"
#include "rope_pair.cuh"

// Where the token goes: its position (positions[0], also its cache row) and the caches' rows. The launch's blocks
// read the position and every pair's sine and cosine once, into a table at the end of their x area (`table`,
// bytes into the dynamic shared memory; TokenCache.tableBytes in Java), while x is staged: computed in each
// warp's store, the position's load, the frequency's and the powf / sincosf after them held the warp ~1.5 us per
// tile before its next chunk (decode round 29's first timeline).
struct TokenCache {
    half* keyCache;    // [capacity][kvWidth]
    half* valueCache;  // [capacity][vWidth]
    const int* positions;
    const float* freqFactors;  // headDim / 2 divisors, or null
    int headDim;
    float base;
    int capacity;
    int table;  // byte offset of {cache row, pad, then (sin, cos) per pair} in the dynamic shared memory

    __device__ __forceinline__ uint8_t* table_at() const {
        extern __shared__ __align__(128) uint8_t ring_shared[];
        return ring_shared + table;
    }
    // Threads [first, first + headDim / 2] fill the table; the caller's __syncthreads (after x is staged)
    // publishes it.
    __device__ __forceinline__ void prepare(int first) const {
        const int t = (int) threadIdx.x - first;
        if (t < 0 || t > headDim / 2) return;
        const int row = positions[0];
        if (t == headDim / 2) {
            *reinterpret_cast<int*>(table_at()) = row;
            return;
        }
        float s, c;
        rope_angle((float) row, t, headDim, freqFactors, base, s, c);
        reinterpret_cast<float2*>(table_at() + 16)[t] = make_float2(s, c);
    }
    __device__ __forceinline__ int row() const { return *reinterpret_cast<const int*>(table_at()); }
    __device__ __forceinline__ float2 angle(int i) const { return reinterpret_cast<const float2*>(table_at() + 16)[i]; }
    __device__ __forceinline__ bool stores(int cacheRow) const { return cacheRow >= 0 && cacheRow < capacity; }
};

// q, k and v of one format numbered one after another (ThreeMatrices: q rows [0, end0), k [end0, end1), v the
// rest), stored a pair of rows at a time (PAIRED: the consumer calls store_pair with an even row).
struct RopedQkv {
    ThreeMatrices m;
    TokenCache cache;
    int vWidth;  // v's rows
    static constexpr bool PAIRED = true;

    __device__ __forceinline__ const uint8_t* row(int r) const { return m.row(r); }
    // after the wait, as x is staged by threads [0, units): the table by threads that stage nothing where there are
    // enough of them
    __device__ __forceinline__ void prepare(int units) const {
        cache.prepare(units + cache.headDim / 2 < (int) blockDim.x ? units : 0);
    }

    // rows r and r + 1 (r even; q's and k's row counts are multiples of headDim, so a pair never straddles two)
    __device__ __forceinline__ void store_pair(int r, float a, float b) const {
        const int cacheRow = cache.row();
        if (r >= m.end1) {  // v: plain, and into the value cache
            const int local = r - m.end1;
            m.y2[local] = a;
            m.y2[local + 1] = b;
            if (cache.stores(cacheRow)) {
                half* c = cache.valueCache + (size_t) cacheRow * vWidth + local;
                c[0] = __float2half_rn(a);
                c[1] = __float2half_rn(b);
            }
            return;
        }
        const bool isK = r >= m.end0;
        const int local = isK ? r - m.end0 : r;
        const float2 sc = cache.angle((local % cache.headDim) / 2);
        float x0, x1;
        rope_apply(a, b, sc.x, sc.y, x0, x1);
        float* y = isK ? m.y1 : m.y0;
        y[local] = x0;
        y[local + 1] = x1;
        if (isK && cache.stores(cacheRow)) {
            half* c = cache.keyCache + (size_t) cacheRow * (m.end1 - m.end0) + local;
            c[0] = __float2half_rn(x0);
            c[1] = __float2half_rn(x1);
        }
    }
};

// A v of another format than q and k (the q6_K v of a Q4_K_M layer), one row at a time: plain, and into the
// value cache (the row from the table RopedQkv::prepare filled).
struct CachedV {
    OneMatrix m;
    TokenCache cache;
    int width;
    static constexpr bool PAIRED = false;

    __device__ __forceinline__ const uint8_t* row(int r) const { return m.row(r); }
    __device__ __forceinline__ void store(int r, float v) const {
        m.y[r] = v;
        const int cacheRow = cache.row();
        if (cache.stores(cacheRow)) cache.valueCache[(size_t) cacheRow * width + r] = __float2half_rn(v);
    }
};
