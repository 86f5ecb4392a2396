// Where a decode matvec kernel finds row r of its weights and puts y[r]. One matrix is the plain case;
// up to three matrices of one format and width (q/k/v, gate/up) can be numbered one after another so
// that one launch covers all their rows, each matrix staying where it was uploaded and writing its own
// output: the launch's fixed cost (x staging, the first weight round trip, the graph gap) is paid once.
#pragma once
#include <stdint.h>

struct OneMatrix {
    const uint8_t* w;
    long long rowBytes;
    float* y;
    static constexpr bool PAIRED = false;  // stores one row at a time (qkv_cache_store.cuh has a paired kind)

    __device__ __forceinline__ const uint8_t* row(int r) const { return w + (size_t) r * rowBytes; }
    __device__ __forceinline__ void store(int r, float v) const { y[r] = v; }
};

// Rows [0, end0) are matrix 0's, [end0, end1) matrix 1's, [end1, ...) matrix 2's.
struct ThreeMatrices {
    const uint8_t* w0;
    const uint8_t* w1;
    const uint8_t* w2;
    long long rowBytes;
    float* y0;
    float* y1;
    float* y2;
    int end0, end1;
    static constexpr bool PAIRED = false;

    __device__ __forceinline__ const uint8_t* row(int r) const {
        const uint8_t* base = r < end0 ? w0 : (r < end1 ? w1 : w2);
        const int local = r - (r < end0 ? 0 : (r < end1 ? end0 : end1));
        return base + (size_t) local * rowBytes;
    }

    __device__ __forceinline__ void store(int r, float v) const {
        if (r < end0) {
            y0[r] = v;
        } else if (r < end1) {
            y1[r - end0] = v;
        } else {
            y2[r - end1] = v;
        }
    }
};
