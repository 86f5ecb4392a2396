// Causal attention of a batch of new tokens over the f16 KV cache on the tensor cores, flash-attention
// style: one block per (64 query tokens, head) walks the key/value positions its tokens see in tiles of
// 64, with S = Q K^T and O += P V as m16n8k16 mma.sync and an online softmax in registers, so the scores
// never leave the multiprocessor and each K/V tile is read once per block (attention.cu's kernel reads
// them once per token and does the products on the float pipes).
//   q:    [tokens][heads][D] float32 (token t is at position startPos + t and sees 0..startPos+t)
//   k, v: [ctx][kvHeads][D] f16 (as kv_store writes them; rows below min(startPos + tokens, maxEnd) are read)
//   out:  [tokens][heads][D] float32
// Four warps each own 16 query rows. Q is scaled by scale * log2(e) and rounded to f16 once (so exp2
// gives the softmax), P is rounded to f16 for the P V product; the scores, the running max and sum and
// the output accumulate in float32. Positions past a row's own are masked to -inf; K/V rows past the
// block's last position are zero-filled, never read. K/V tiles are double-buffered through cp.async.
#include "common.cuh"
#include "tensor_core.cuh"

#define AP_BQ 64   // query tokens per block
#define AP_BK 64   // key positions per tile
#define AP_THREADS 128

namespace ap {

using namespace tc;

// Shared memory (dynamic): qTile[AP_BQ][D + 8], then kTile[2][AP_BK][D + 8], vTile[2][AP_BK][D + 8] f16;
// the 8-half pad puts the 8 row addresses of every ldmatrix phase on distinct banks.
template <int D>
__device__ __forceinline__ void attend(const float* __restrict__ q, const half* __restrict__ k,
                                       const half* __restrict__ v, float* __restrict__ out,
                                       const int* __restrict__ startPos, int maxEnd, int tokens, int heads,
                                       int kvHeads, float scaleLog2) {
    static_assert(D % 16 == 0 && D <= 128, "head width: whole k16 steps, accumulators in registers");
    constexpr int LD = D + 8;
    constexpr int KK = D / 16;              // k16 steps of S = Q K^T
    constexpr int DN = D / 8;               // n8 tiles of O
    constexpr int SN = AP_BK / 8;           // n8 tiles of S
    constexpr int CHUNKS = AP_BK * D / 8;   // 16-byte chunks of one K (or V) tile
    extern __shared__ __align__(16) unsigned char smem[];
    half* qTile = reinterpret_cast<half*>(smem);
    half* kTile = qTile + AP_BQ * LD;
    half* vTile = kTile + 2 * AP_BK * LD;

    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE;
    // the longest blocks (last tokens, most positions) first
    const int t0 = (gridDim.x - 1 - blockIdx.x) * AP_BQ;
    const int h = blockIdx.y, kvh = h / (heads / kvHeads);
    const int start = *startPos;
    const int kvEnd = min(start + min(t0 + AP_BQ, tokens), maxEnd);  // positions this block's tokens see: 0..kvEnd-1
    const int tiles = (kvEnd + AP_BK - 1) / AP_BK;
    const size_t rowStride = (size_t) kvHeads * D;
    const half* kh = k + (size_t) kvh * D;
    const half* vh = v + (size_t) kvh * D;

    auto loadTile = [&](int tile, int buf) {
        half* kd = kTile + buf * AP_BK * LD;
        half* vd = vTile + buf * AP_BK * LD;
        for (int c = threadIdx.x; c < CHUNKS; c += AP_THREADS) {
            const int r = c / (D / 8), col = (c % (D / 8)) * 8;
            const int p = tile * AP_BK + r;
            const bool valid = p < kvEnd;
            const size_t src = (size_t) (valid ? p : 0) * rowStride + col;
            cp_async16_or_zero(kd + r * LD + col, kh + src, valid);
            cp_async16_or_zero(vd + r * LD + col, vh + src, valid);
        }
        cp_async_commit();
    };
    loadTile(0, 0);

    // Q: scaled, rounded to f16, rows past the batch zero
    for (int c = threadIdx.x; c < AP_BQ * D / 4; c += AP_THREADS) {
        const int r = c / (D / 4), col = (c % (D / 4)) * 4;
        float4 x = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
        if (t0 + r < tokens) x = *reinterpret_cast<const float4*>(q + ((size_t) (t0 + r) * heads + h) * D + col);
        uint2 packed;
        packed.x = pack_half2(x.x * scaleLog2, x.y * scaleLog2);
        packed.y = pack_half2(x.z * scaleLog2, x.w * scaleLog2);
        *reinterpret_cast<uint2*>(qTile + r * LD + col) = packed;
    }
    __syncthreads();
    uint32_t qa[KK][4];
#pragma unroll
    for (int kk = 0; kk < KK; kk++) ldmatrix_x4(qa[kk], qTile + (warp * 16 + lane % 16) * LD + kk * 16 + (lane / 16) * 8);

    // this thread's two rows of the warp's 16: r0 = lane / 4 and r0 + 8; their positions
    const int row0 = warp * 16 + lane / 4;
    const int pos0 = start + t0 + row0, pos1 = pos0 + 8;
    float m0 = -INFINITY, m1 = -INFINITY, l0 = 0.0f, l1 = 0.0f;
    float o[DN][4];
#pragma unroll
    for (int n = 0; n < DN; n++) o[n][0] = o[n][1] = o[n][2] = o[n][3] = 0.0f;

    for (int tile = 0; tile < tiles; tile++) {
        const int buf = tile & 1;
        if (tile + 1 < tiles) {
            loadTile(tile + 1, buf ^ 1);
            cp_async_wait<1>();
        } else {
            cp_async_wait<0>();
        }
        __syncthreads();
        const half* kt = kTile + buf * AP_BK * LD;
        const half* vt = vTile + buf * AP_BK * LD;

        // S = Q K^T: 16 rows x 64 positions per warp
        float s[SN][4];
#pragma unroll
        for (int n = 0; n < SN; n++) s[n][0] = s[n][1] = s[n][2] = s[n][3] = 0.0f;
#pragma unroll
        for (int n = 0; n < SN; n += 2) {
#pragma unroll
            for (int kk = 0; kk < KK; kk++) {
                uint32_t b[4];  // positions n*8.. and (n+1)*8.., k 0-7 and 8-15 of this step
                ldmatrix_x4(b, kt + (n * 8 + lane % 8 + (lane / 16) * 8) * LD + kk * 16 + ((lane / 8) % 2) * 8);
                mma_16816(s[n], qa[kk], b[0], b[1]);
                mma_16816(s[n + 1], qa[kk], b[2], b[3]);
            }
        }
        // causal mask: only tiles that reach past some row's position need it
        const int p0 = tile * AP_BK;
        if (p0 + AP_BK - 1 > start + t0 + warp * 16) {
#pragma unroll
            for (int n = 0; n < SN; n++) {
                const int p = p0 + n * 8 + 2 * (lane % 4);
                if (p > pos0) s[n][0] = -INFINITY;
                if (p + 1 > pos0) s[n][1] = -INFINITY;
                if (p > pos1) s[n][2] = -INFINITY;
                if (p + 1 > pos1) s[n][3] = -INFINITY;
            }
        }
        // online softmax over the tile (a row's 64 scores sit in the 4 lanes of its quad)
        float tm0 = -INFINITY, tm1 = -INFINITY;
#pragma unroll
        for (int n = 0; n < SN; n++) {
            tm0 = fmaxf(tm0, fmaxf(s[n][0], s[n][1]));
            tm1 = fmaxf(tm1, fmaxf(s[n][2], s[n][3]));
        }
#pragma unroll
        for (int off = 1; off < 4; off <<= 1) {
            tm0 = fmaxf(tm0, __shfl_xor_sync(0xffffffffu, tm0, off));
            tm1 = fmaxf(tm1, __shfl_xor_sync(0xffffffffu, tm1, off));
        }
        // tile 0 holds position 0, which every row sees: the maxima are finite from then on
        const float mNew0 = fmaxf(m0, tm0), mNew1 = fmaxf(m1, tm1);
        const float c0 = exp2f(m0 - mNew0), c1 = exp2f(m1 - mNew1);  // 0 on the first tile
        m0 = mNew0;
        m1 = mNew1;
        float rs0 = 0.0f, rs1 = 0.0f;
        uint32_t pa[SN][2];  // P rounded to f16: rows r0 / r0 + 8, two columns each
#pragma unroll
        for (int n = 0; n < SN; n++) {
            const float e0 = exp2f(s[n][0] - m0), e1 = exp2f(s[n][1] - m0);
            const float e2 = exp2f(s[n][2] - m1), e3 = exp2f(s[n][3] - m1);
            rs0 += e0 + e1;
            rs1 += e2 + e3;
            pa[n][0] = pack_half2(e0, e1);
            pa[n][1] = pack_half2(e2, e3);
        }
#pragma unroll
        for (int off = 1; off < 4; off <<= 1) {
            rs0 += __shfl_xor_sync(0xffffffffu, rs0, off);
            rs1 += __shfl_xor_sync(0xffffffffu, rs1, off);
        }
        l0 = l0 * c0 + rs0;
        l1 = l1 * c1 + rs1;
#pragma unroll
        for (int n = 0; n < DN; n++) {
            o[n][0] *= c0;
            o[n][1] *= c0;
            o[n][2] *= c1;
            o[n][3] *= c1;
        }
        // O += P V: k = the tile's 64 positions in 4 steps; P's A fragment is two adjacent S tiles
#pragma unroll
        for (int c = 0; c < AP_BK / 16; c++) {
            const uint32_t a[4] = {pa[2 * c][0], pa[2 * c][1], pa[2 * c + 1][0], pa[2 * c + 1][1]};
#pragma unroll
            for (int n = 0; n < DN; n += 2) {
                uint32_t b[4];  // positions c*16 + 0-7 / 8-15, head columns n*8.. and (n+1)*8..
                ldmatrix_x4_trans(b, vt + (c * 16 + lane % 8 + ((lane / 8) % 2) * 8) * LD + (n + lane / 16) * 8);
                mma_16816(o[n], a, b[0], b[1]);
                mma_16816(o[n + 1], a, b[2], b[3]);
            }
        }
        __syncthreads();  // every warp is done with this buffer before the next iteration's loads refill it
    }

    const int t = t0 + row0;
    const float inv0 = l0 > 0.0f ? 1.0f / l0 : 0.0f, inv1 = l1 > 0.0f ? 1.0f / l1 : 0.0f;  // 0: no position at all
#pragma unroll
    for (int n = 0; n < DN; n++) {
        const int col = n * 8 + 2 * (lane % 4);
        if (t < tokens)
            *reinterpret_cast<float2*>(out + ((size_t) t * heads + h) * D + col) = make_float2(o[n][0] * inv0, o[n][1] * inv0);
        if (t + 8 < tokens)
            *reinterpret_cast<float2*>(out + ((size_t) (t + 8) * heads + h) * D + col) =
                make_float2(o[n][2] * inv1, o[n][3] * inv1);
    }
}

}  // namespace ap

#define ATTENTION_PREFILL_KERNEL(name, D)                                                                        \
    extern "C" __global__ void __launch_bounds__(AP_THREADS) name(                                               \
        const float* __restrict__ q, const half* __restrict__ k, const half* __restrict__ v,                      \
        float* __restrict__ out, const int* __restrict__ startPos, int maxEnd, int tokens, int heads,             \
        int kvHeads, float scaleLog2) {                                                                          \
        ap::attend<D>(q, k, v, out, startPos, maxEnd, tokens, heads, kvHeads, scaleLog2);                         \
    }

ATTENTION_PREFILL_KERNEL(attention_prefill_d64, 64)
ATTENTION_PREFILL_KERNEL(attention_prefill_d128, 128)
