// The q4_K decode matvec with its weights streamed through a shared-memory ring by the bulk copy engine
// (compute capability 9.0; bulk_copy.cuh). Why: the register-pipelined kernel (matvec_superblock.cuh) has
// one step per warp in flight (~28 KB per multiprocessor), and at 4096 columns each warp walks a chain of
// four dependent 1,152-byte round trips after x is staged: a 4096 x 4096 product streams at ~45 % of the
// copy rate and every launch pays ~3.4 us besides its bytes (docs/perf/NOTES.md, decode rounds 7-14).
// Here one producer warp asks for whole row spans (one request per row and chunk) into RING_STAGES
// buffers, up to ~90 KB per block, the first of them before the programmatic wait, so a launch's first
// bytes are on their way while the kernel before it finishes and the consumer warps never wait on a
// chain of their own loads.
//
// Work: tiles of RING_TILE_ROWS consecutive rows (of the one, or up to three concatenated, matrices of
// matvec_rows.cuh), each cut into chunks of RING_CHUNK_BLOCKS super-blocks; a stage holds one chunk of
// every row of a tile (row r at r * RING_CHUNK_BLOCKS * 144 bytes). Blocks take tiles blockIdx.x,
// + gridDim.x, ...; the producer and the consumers walk the same (tile, chunk) sequence, item i in
// stage i % stages. Consumer warp w owns rows 2w and 2w + 1 of every tile, its four 8-lane groups
// super-blocks g, g + 4, ... of each chunk exactly as the register kernel's warps do at k-split 1, with
// the same per-block arithmetic (B::row) in the same order: the products are bit-identical to it.
#pragma once
#include "bulk_copy.cuh"
#include "matvec_superblock.cuh"
#include "programmatic_launch.cuh"

#define RING_CONSUMER_WARPS 8
#define RING_THREADS ((RING_CONSUMER_WARPS + 1) * WARP_SIZE)
#define RING_TILE_ROWS (RING_CONSUMER_WARPS * MATVEC_SB_ROWS)
#define RING_CHUNK_BLOCKS 8
#define RING_BARRIER_BYTES 256  // full and empty barriers of up to 16 stages

// Shared memory: barriers, then x as B stages it (xBytes, a multiple of 128), then the stages.
template <typename B, typename M, typename X>
__device__ __forceinline__ void matvec_ring(const M& matrices, const X& source, int rows, int cols, int stages,
                                            int xBytes) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    extern __shared__ __align__(128) uint8_t ring_shared[];
    uint64_t* full = reinterpret_cast<uint64_t*>(ring_shared);
    uint64_t* empty = full + stages;
    float4* xShared = reinterpret_cast<float4*>(ring_shared + RING_BARRIER_BYTES);
    uint8_t* ring = ring_shared + RING_BARRIER_BYTES + xBytes;
    constexpr int CHUNK_BYTES = RING_CHUNK_BLOCKS * B::BYTES;
    constexpr int STAGE_BYTES = RING_TILE_ROWS * CHUNK_BYTES;

    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE;
    const int blocks = cols >> 8;
    const int chunks = (blocks + RING_CHUNK_BLOCKS - 1) / RING_CHUNK_BLOCKS;
    const int tiles = (rows + RING_TILE_ROWS - 1) / RING_TILE_ROWS;
    const int myTiles = blockIdx.x < tiles ? (tiles - 1 - blockIdx.x) / gridDim.x + 1 : 0;
    const int items = myTiles * chunks;
    const bool producer = warp == RING_CONSUMER_WARPS;

    if (threadIdx.x == 0) {
        for (int s = 0; s < stages; s++) {
            barrier_init(&full[s], 1);
            barrier_init(&empty[s], RING_CONSUMER_WARPS);
        }
        barrier_init_fence();
    }
    __syncthreads();

    // Item i: chunk i % chunks of this block's (i / chunks)-th tile, every valid row's span in one request
    // (lane r < RING_TILE_ROWS asks for row r); lane 0 first tells the stage's barrier how many bytes come.
    auto issue = [&](int i) {
        const int s = i % stages;
        const int tile = blockIdx.x + (i / chunks) * gridDim.x, c = i % chunks;
        const int first = tile * RING_TILE_ROWS;
        const int valid = min(RING_TILE_ROWS, rows - first);
        const int chunkBlocks = min(RING_CHUNK_BLOCKS, blocks - c * RING_CHUNK_BLOCKS);
        const uint32_t bytes = (uint32_t) (chunkBlocks * B::BYTES);
        if (lane == 0) barrier_arrive_expect(&full[s], bytes * valid);
        __syncwarp();
        if (lane < valid) {
            bulk_copy_to_shared(ring + (size_t) s * STAGE_BYTES + lane * CHUNK_BYTES,
                                matrices.row(first + lane) + (size_t) c * CHUNK_BYTES, bytes, &full[s]);
        }
    };

    // Weights only before the wait: they are never written while a step runs.
    const int primed = min(stages, items);
    if (producer) {
        for (int i = 0; i < primed; i++) issue(i);
    }
    pdl_begin();
    typename B::Staged staged;
    B::stage(source, xShared, cols, staged);  // ends in __syncthreads

    if (producer) {
        for (int i = primed; i < items; i++) {
            // the stage's previous item (i - stages) must have been read by every consumer warp
            barrier_wait(&empty[i % stages], ((i / stages) - 1) & 1);
            issue(i);
        }
        return;
    }

    const int group = lane >> 3, p = lane & 7;
    const typename B::ScalePick pick = B::pick(p);
    float acc[MATVEC_SB_ROWS];
#pragma unroll
    for (int r = 0; r < MATVEC_SB_ROWS; r++) acc[r] = 0.0f;
    for (int i = 0; i < items; i++) {
        const int s = i % stages;
        const int tile = blockIdx.x + (i / chunks) * gridDim.x, c = i % chunks;
        barrier_wait(&full[s], (i / stages) & 1);
        const uint8_t* stage = ring + (size_t) s * STAGE_BYTES + warp * MATVEC_SB_ROWS * CHUNK_BYTES;
        const int chunkBlocks = min(RING_CHUNK_BLOCKS, blocks - c * RING_CHUNK_BLOCKS);
#pragma unroll
        for (int j0 = 0; j0 < RING_CHUNK_BLOCKS; j0 += 4) {
            // Lanes whose block lies past the chunk's end compute on a stale block and drop it: the warp
            // stays converged for the shuffles.
            const int j = j0 + group;
            const int jc = min(j, chunkBlocks - 1);
            const int sb = c * RING_CHUNK_BLOCKS + jc;
            typename B::Runs x;
            B::runs(staged, 256 * sb, p, x);
#pragma unroll
            for (int r = 0; r < MATVEC_SB_ROWS; r++) {
                const uint8_t* block = stage + r * CHUNK_BYTES + jc * B::BYTES;
                const uint4 head = *reinterpret_cast<const uint4*>(block);
                const uint4 qs = *(reinterpret_cast<const uint4*>(block + 16) + p);
                const float v = B::row(head, qs, x, pick, p);
                if (j < chunkBlocks) acc[r] += v;
            }
        }
        __syncwarp();
        if (lane == 0) barrier_arrive(&empty[s]);

        if (c == chunks - 1) {
            const int row = tile * RING_TILE_ROWS + warp * MATVEC_SB_ROWS;
#pragma unroll
            for (int r = 0; r < MATVEC_SB_ROWS; r++) acc[r] = warp_sum(acc[r]);
            if (lane < MATVEC_SB_ROWS && row + lane < rows) {
                float v = acc[0];
#pragma unroll
                for (int r = 1; r < MATVEC_SB_ROWS; r++) v = lane == r ? acc[r] : v;
                matrices.store(row + lane, v);
            }
#pragma unroll
            for (int r = 0; r < MATVEC_SB_ROWS; r++) acc[r] = 0.0f;
        }
    }
#else
    __trap();  // launched only on compute capability 9.0 and newer (RingMatVec)
#endif
}
