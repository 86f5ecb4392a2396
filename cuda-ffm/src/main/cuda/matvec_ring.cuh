// The integer-x decode matvecs of q4_K and q6_K with their weights streamed through a shared-memory ring by
// the bulk copy engine (compute capability 9.0; bulk_copy.cuh). Why: the register kernels
// (matvec_superblock.cuh, matvec_x8_units.cuh) have one step per warp in flight (~28 KB per multiprocessor),
// and at 4096 columns each warp walks a chain of dependent round trips after x is staged: a 4096 x 4096
// product streams at ~45 % of the copy rate and every launch pays ~3.4 us besides its bytes
// (docs/perf/NOTES.md, decode rounds 7-14). Here one producer warp asks for whole row spans (one request per
// row and chunk) into `stages` buffers, up to ~90 KB per block, the first of them before the programmatic
// wait, so a launch's first bytes are on their way while the kernel before it finishes and the consumer warps
// never wait on a chain of their own loads.
//
// Work: tiles of C::TILE_ROWS consecutive rows (of the one, or up to three concatenated, matrices of
// matvec_rows.cuh), each cut into chunks of RING_CHUNK_BLOCKS blocks of the format; a stage holds one chunk of
// every row of a tile (row r at r * chunk bytes). Blocks take tiles blockIdx.x, + gridDim.x, ...; the producer
// and the consumers walk the same (tile, chunk) sequence, item i in stage i % stages. The consumer C computes
// exactly what the register kernel's warps compute at k-split 1 (same lanes, same per-block arithmetic, same
// order), so the products are bit-identical to it:
//  - RingQ4K (q4_K): warp w owns rows 2w and 2w + 1 of a tile, its four 8-lane groups super-blocks g, g + 4,
//    ... of each chunk (matvec_superblock.cuh);
//  - RingQ6K (q6_K): warp w owns row w, lane l units l and l + 32 of each chunk's 64 (matvec_split_rows.cuh);
//    a chunk is 1,680 bytes, so rows must hold a multiple of 8 blocks (RingMatVec checks).
// A launch may also carry a second format's tiles after the first's (CB over MB: q4_K q and k with a q6_K v, as
// Q4_K_M files store half the layers' v). Why: as its own launch such a v streamed 3.4 MB in 4.5 us, its blocks
// resident only as q/k's left, and q/k's 320 tiles left 56 of 264 blocks with a second tile anyway (round 19's
// timeline); appended to q/k's tiles, v's 128 fill those blocks' second rounds. Both consumers read the same
// x records (stage_x8), staged once; every row's product is what its own format's launch computes.
#pragma once
#include "bulk_copy.cuh"
#include "matvec_superblock.cuh"
#include "matvec_x8_units.cuh"
#include "matvec_ring_norm.cuh"
#include "programmatic_launch.cuh"
#include "ring_trace.cuh"

#define RING_CONSUMER_WARPS 8
#define RING_THREADS ((RING_CONSUMER_WARPS + 1) * WARP_SIZE)
#define RING_CHUNK_BLOCKS 8
#define RING_BARRIER_BYTES 256  // full and empty barriers of up to 16 stages

// q4_K against x's integer records: the super-block kernel's lanes and B::row.
template <int LEVELS>
struct RingQ4K {
    typedef Q4KSuperBlockX8<LEVELS> B;
    static constexpr int BLOCK_BYTES = B::BYTES;
    static constexpr int TILE_ROWS = RING_CONSUMER_WARPS * MATVEC_SB_ROWS;
    static constexpr int CHUNK_BYTES = RING_CHUNK_BLOCKS * BLOCK_BYTES;

    static constexpr int X_LEVELS = LEVELS;

    typename B::Staged staged;
    typename B::ScalePick pick;
    float acc[MATVEC_SB_ROWS];

    __device__ __forceinline__ void stage(const PlainX& source, float4* shared, int cols, int perThread) {
        B::stage(source, shared, cols, staged, perThread);  // ends in __syncthreads
    }
    // x's records as someone else staged them at `shared`
    __device__ __forceinline__ void adopt(const float4* shared) {
        staged = typename B::Staged{reinterpret_cast<const int4*>(shared)};
    }
    __device__ __forceinline__ void begin(int lane) {
        pick = B::pick(lane & 7);
#pragma unroll
        for (int r = 0; r < MATVEC_SB_ROWS; r++) acc[r] = 0.0f;
    }
    // The warp's rows of chunk c (chunkBlocks blocks) at `rows` (its first row's span).
    __device__ __forceinline__ void chunk(const uint8_t* rows, int c, int chunkBlocks, int lane) {
        const int group = lane >> 3, p = lane & 7;
#pragma unroll
        for (int j0 = 0; j0 < RING_CHUNK_BLOCKS; j0 += 4) {
            // Lanes whose block lies past the chunk's end compute on a stale block and drop it: the warp
            // stays converged for the shuffles.
            const int j = j0 + group;
            const int jc = min(j, chunkBlocks - 1);
            typename B::Runs x;
            B::runs(staged, 256 * (c * RING_CHUNK_BLOCKS + jc), p, x);
#pragma unroll
            for (int r = 0; r < MATVEC_SB_ROWS; r++) {
                const uint8_t* block = rows + r * CHUNK_BYTES + jc * BLOCK_BYTES;
                const uint4 head = *reinterpret_cast<const uint4*>(block);
                const uint4 qs = *(reinterpret_cast<const uint4*>(block + 16) + p);
                const float v = B::row(head, qs, x, pick, p);
                if (j < chunkBlocks) acc[r] += v;
            }
        }
    }
    template <typename M>
    __device__ __forceinline__ void store(const M& matrices, int firstRow, int rowCount, int lane) {
#pragma unroll
        for (int r = 0; r < MATVEC_SB_ROWS; r++) acc[r] = warp_sum(acc[r]);
        if constexpr (M::PAIRED) {
            static_assert(MATVEC_SB_ROWS == 2, "a paired store takes a warp's two rows");
            if (lane == 0 && firstRow < rowCount) matrices.store_pair(firstRow, acc[0], acc[1]);
        } else if (lane < MATVEC_SB_ROWS && firstRow + lane < rowCount) {
            float v = acc[0];
#pragma unroll
            for (int r = 1; r < MATVEC_SB_ROWS; r++) v = lane == r ? acc[r] : v;
            matrices.store(firstRow + lane, v);
        }
#pragma unroll
        for (int r = 0; r < MATVEC_SB_ROWS; r++) acc[r] = 0.0f;
    }
    static constexpr int ROWS_PER_WARP = MATVEC_SB_ROWS;
};

// q6_K against x's integer records: the unit kernel's lanes and Q6KX8Unit's arithmetic.
template <int LEVELS>
struct RingQ6K {
    static constexpr int BLOCK_BYTES = 210;
    static constexpr int TILE_ROWS = RING_CONSUMER_WARPS;
    static constexpr int CHUNK_BYTES = RING_CHUNK_BLOCKS * BLOCK_BYTES;
    static constexpr int ROWS_PER_WARP = 1;
    static constexpr int X_LEVELS = LEVELS;

    const int4* rec;
    float acc;

    __device__ __forceinline__ void stage(const PlainX& source, float4* shared, int cols, int perThread) {
        rec = reinterpret_cast<const int4*>(shared);
        stage_x8<LEVELS>(source, reinterpret_cast<int4*>(shared), cols, perThread);
        __syncthreads();
    }
    // x's records as another consumer staged them (stage_x8 at `shared`).
    __device__ __forceinline__ void adopt(const float4* shared) { rec = reinterpret_cast<const int4*>(shared); }
    __device__ __forceinline__ void begin(int) { acc = 0.0f; }
    __device__ __forceinline__ void chunk(const uint8_t* row, int c, int chunkBlocks, int lane) {
        const int units = 8 * chunkBlocks;
#pragma unroll
        for (int local = lane; local < 8 * RING_CHUNK_BLOCKS; local += WARP_SIZE) {
            if (local < units) {
                acc = Q6KX8Unit<LEVELS>::template dot_block<false>(row + (local >> 3) * BLOCK_BYTES,
                                                                   8 * RING_CHUNK_BLOCKS * c + local, rec, acc);
            }
        }
    }
    template <typename M>
    __device__ __forceinline__ void store(const M& matrices, int row, int rowCount, int lane) {
        acc = warp_sum(acc);
        if (lane == 0 && row < rowCount) matrices.store(row, acc);
        acc = 0.0f;
    }
};

// The second format of a launch that has none: no tiles, and nothing it would do is ever reached.
struct NoTiles {
    static constexpr int TILE_ROWS = 1;
    static constexpr int CHUNK_BYTES = 0;
    static constexpr int BLOCK_BYTES = 0;
    static constexpr int ROWS_PER_WARP = 1;
    __device__ __forceinline__ void adopt(const float4*) {}
    __device__ __forceinline__ void begin(int) {}
    __device__ __forceinline__ void chunk(const uint8_t*, int, int, int) {}
    template <typename M>
    __device__ __forceinline__ void store(const M&, int, int, int) {}
};
struct NoMatrix {
    static constexpr bool PAIRED = false;
    __device__ __forceinline__ const uint8_t* row(int) const { return nullptr; }
    __device__ __forceinline__ void store(int, float) const {}
};
template <typename T>
struct IsNoTiles {
    static constexpr bool value = false;
};
template <>
struct IsNoTiles<NoTiles> {
    static constexpr bool value = true;
};

// One stage's request for `tile` of C's rows (of `matrices`, `rows` in all): chunk c of every valid row in one
// request per row (lane r < TILE_ROWS asks for row r); lane 0 first tells the stage's barrier how many bytes come.
// `evictFirst`: the rows' L2 lines go first when the L2 needs room (`policy`, l2_evict_first_policy).
template <typename C, typename M>
__device__ __forceinline__ void ring_issue(const M& matrices, int tile, int rows, int c, int chunkBlocks, uint8_t* stage,
                                           uint64_t* full, int lane, bool evictFirst, uint64_t policy) {
    const int first = tile * C::TILE_ROWS;
    const int valid = min(C::TILE_ROWS, rows - first);
    const uint32_t bytes = (uint32_t) (chunkBlocks * C::BLOCK_BYTES);
    if (lane == 0) barrier_arrive_expect(full, bytes * valid);
    __syncwarp();
    if (lane < valid) {
        uint8_t* dst = stage + lane * C::CHUNK_BYTES;
        const uint8_t* src = matrices.row(first + lane) + (size_t) c * C::CHUNK_BYTES;
        if (evictFirst) {
            bulk_copy_to_shared_hinted(dst, src, bytes, full, policy);
        } else {
            bulk_copy_to_shared(dst, src, bytes, full);
        }
    }
}

// Shared memory: barriers, then x as CA stages it (xBytes, a multiple of 128), then the stages. Tiles
// [0, tilesA) are CA's over ma (rowsA rows), then CB's over mb (rowsB; CB = NoTiles: none). `blocks` is the
// number of format blocks per row; `stamps` (null: none) takes the launch's timestamps (ring_trace.cuh).
// `ahead` (1..stages) caps the block's requests in flight: item i is asked for only once item i - ahead has
// arrived, and only the first `ahead` before the wait. Why: a launch with nothing primed (the down projection,
// resident only as gate/up's blocks leave) asks for all its stages at once, ~24 MB over the GPU; the memory
// system serves them interleaved, so a block's first stage may come no sooner than the whole burst and its
// consumers sit idle while the bus is busy, then the bus idles while they compute (docs/perf/NOTES.md, round 26).
// ahead = stages is the uncapped ring. `xPerThread` (1 or 2): records of x each thread stages per pass (stage_x8).
// `evictFirst` (0 or 1): the weights' L2 lines are the first to go, so that a token's 4.6 GB read once does not push
// out what the step reads again (records, the residual, the norms' weights, the KV cache): +2.1 % alone on the 8B
// Q4_K_M on the H100, +3.6 % on top of norm_records (docs/perf/NOTES.md decode rounds 34-35; which reads gained was
// not isolated).
// `source`: x as it is, or normed as it is staged (matvec_ring_norm.cuh; then NORM_MAX_GROUPS floats after the
// records are the norm's scratch).
template <typename CA, typename MA, typename CB = NoTiles, typename MB = NoMatrix>
__device__ __forceinline__ void matvec_ring(const MA& ma, const MB& mb, const RingSource& source, int rowsA, int rowsB,
                                            int cols, int blocks, int stages, int ahead, int xBytes, int xPerThread,
                                            int evictFirst, unsigned long long* stamps) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    constexpr bool MIXED = !IsNoTiles<CB>::value;
    extern __shared__ __align__(128) uint8_t ring_shared[];
    uint64_t* full = reinterpret_cast<uint64_t*>(ring_shared);
    uint64_t* empty = full + stages;
    float4* xShared = reinterpret_cast<float4*>(ring_shared + RING_BARRIER_BYTES);
    uint8_t* ring = ring_shared + RING_BARRIER_BYTES + xBytes;
    constexpr int STAGE_A = CA::TILE_ROWS * CA::CHUNK_BYTES, STAGE_B = CB::TILE_ROWS * CB::CHUNK_BYTES;
    constexpr int STAGE_BYTES = STAGE_A > STAGE_B ? STAGE_A : STAGE_B;

    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE;
    const int chunks = (blocks + RING_CHUNK_BLOCKS - 1) / RING_CHUNK_BLOCKS;
    const int tilesA = (rowsA + CA::TILE_ROWS - 1) / CA::TILE_ROWS;
    const int tiles = tilesA + (MIXED ? (rowsB + CB::TILE_ROWS - 1) / CB::TILE_ROWS : 0);
    const int myTiles = blockIdx.x < tiles ? (tiles - 1 - blockIdx.x) / gridDim.x + 1 : 0;
    const int items = myTiles * chunks;
    const bool producer = warp == RING_CONSUMER_WARPS;
    ring_trace_entry(stamps);

    // x's records when an earlier kernel made them: one bulk request, its own barrier after the stages' (RingMatVec
    // leaves it room: stages < RING_BARRIER_BYTES / 16)
    uint64_t* xFull = full + 2 * stages;
    const uint32_t recordBytes = (uint32_t) ((cols >> 5) * x8_record_int4s<CA::X_LEVELS>() * sizeof(int4));
    if (threadIdx.x == 0) {
        for (int s = 0; s < stages; s++) {
            barrier_init(&full[s], 1);
            barrier_init(&empty[s], RING_CONSUMER_WARPS);
        }
        if (source.records != nullptr) barrier_init(xFull, 1);
        barrier_init_fence();
    }
    __syncthreads();

    const bool hinted = evictFirst != 0;
    const uint64_t policy = hinted && producer ? l2_evict_first_policy() : 0;
    // Item i: chunk i % chunks of this block's (i / chunks)-th tile.
    auto issue = [&](int i) {
        const int s = i % stages;
        const int tile = blockIdx.x + (i / chunks) * gridDim.x, c = i % chunks;
        const int chunkBlocks = min(RING_CHUNK_BLOCKS, blocks - c * RING_CHUNK_BLOCKS);
        uint8_t* stage = ring + (size_t) s * STAGE_BYTES;
        if (!MIXED || tile < tilesA) {
            ring_issue<CA>(ma, tile, rowsA, c, chunkBlocks, stage, &full[s], lane, hinted, policy);
        } else {
            ring_issue<CB>(mb, tile - tilesA, rowsB, c, chunkBlocks, stage, &full[s], lane, hinted, policy);
        }
    };

    // Weights only before the wait: they are never written while a step runs.
    const int primed = min(ahead, items);
    if (producer) {
        // a normed x reads the norm's weights after the wait; asked for first, they are in the L2 by then instead
        // of queued in DRAM behind the primed stages (matvec_ring_norm.cuh)
        if (source.weight != nullptr && lane == 0) bulk_prefetch_l2(source.weight, (uint32_t) cols * sizeof(float));
        for (int i = 0; i < primed; i++) issue(i);
    }
    pdl_begin();
    ring_trace_waited(stamps);
    CA consumer;
    CB second;
    if constexpr (MA::PAIRED) ma.prepare(cols / 32);  // qkv_cache_store.cuh: its table, published by stage's barrier
    if (source.records != nullptr) {
        // asked for after the weights already primed, but 21 KB where the floats were 57 (8B down projection)
        if (producer && lane == 0) {
            barrier_arrive_expect(xFull, recordBytes);
            bulk_copy_to_shared(xShared, source.records, recordBytes, xFull);
        }
        if constexpr (MA::PAIRED) __syncthreads();  // the table (stage's barrier does this otherwise)
        if (!producer) barrier_wait(xFull, 0);
        consumer.adopt(xShared);
    } else if (source.weight != nullptr) {
        // the norm's group sums right after the records (RingMatVec reserves them)
        float* scratch = reinterpret_cast<float*>(reinterpret_cast<int4*>(xShared) + x8_record_int4s<CA::X_LEVELS>() * (cols >> 5));
        stage_x8_normed<CA::X_LEVELS>(source, reinterpret_cast<int4*>(xShared), cols, scratch);
        __syncthreads();
        consumer.adopt(xShared);
    } else {
        consumer.stage(PlainX{source.x}, xShared, cols, xPerThread);
    }
    second.adopt(xShared);
    ring_trace_staged(stamps);

    if (producer) {
        for (int i = primed; i < items; i++) {
            // the stage's previous item (i - stages) must have been read by every consumer warp
            if (i >= stages) barrier_wait(&empty[i % stages], ((i / stages) - 1) & 1);
            // and item i - ahead must have arrived; its stage has not been asked for again since (ahead <= stages),
            // so its full barrier is at most one phase past that item's
            if (ahead < stages) barrier_wait(&full[(i - ahead) % stages], ((i - ahead) / stages) & 1);
            issue(i);
        }
        return;
    }

    consumer.begin(lane);
    second.begin(lane);
    for (int i = 0; i < items; i++) {
        const int s = i % stages;
        const int tile = blockIdx.x + (i / chunks) * gridDim.x, c = i % chunks;
        const int chunkBlocks = min(RING_CHUNK_BLOCKS, blocks - c * RING_CHUNK_BLOCKS);
        const uint8_t* stage = ring + (size_t) s * STAGE_BYTES;
        const bool first = !MIXED || tile < tilesA;  // uniform over the block
        barrier_wait(&full[s], (i / stages) & 1);
        ring_trace_first_chunk(stamps, i);
        if (first) {
            consumer.chunk(stage + warp * CA::ROWS_PER_WARP * CA::CHUNK_BYTES, c, chunkBlocks, lane);
        } else {
            second.chunk(stage + warp * CB::ROWS_PER_WARP * CB::CHUNK_BYTES, c, chunkBlocks, lane);
        }
        __syncwarp();
        if (lane == 0) barrier_arrive(&empty[s]);
        if (c == chunks - 1) {
            if (first) {
                consumer.store(ma, tile * CA::TILE_ROWS + warp * CA::ROWS_PER_WARP, rowsA, lane);
            } else {
                second.store(mb, (tile - tilesA) * CB::TILE_ROWS + warp * CB::ROWS_PER_WARP, rowsB, lane);
            }
        }
    }
    ring_trace_end(stamps);
#else
    __trap();  // launched only on compute capability 9.0 and newer (RingMatVec)
#endif
}
