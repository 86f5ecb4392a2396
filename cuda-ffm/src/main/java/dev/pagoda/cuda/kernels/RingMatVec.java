package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaKernel;
import dev.pagoda.cuda.CudaModule;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.Dim3;
import dev.pagoda.cuda.KernelArgs;
import dev.pagoda.cuda.raw.cuda_h;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pagoda.cuda.kernels.LaunchChecks.ceilDiv;

/**
 * The q4_K and q6_K decode matvecs of compute capability 9.0 and newer ({@code matvec_ring.cu}): the same
 * products as the register kernels at k-split 1 (q4_K's super-block kernel, q6_K's integer-x unit kernel), bit
 * for bit, with the weights streamed into a shared-memory ring by the bulk copy engine (one request per row
 * span, a block's first requests issued before its programmatic wait) instead of each warp's register loads;
 * integer x only. {@link MatVec} and {@link FusedMatVec} route the launches it {@link #covers} here where it is
 * open; {@code -Dpagoda.cuda.matvecRing=false} keeps them on the register kernels (read when the launchers are
 * created).
 */
final class RingMatVec implements AutoCloseable {
    /** The system property that turns the ring kernel off ({@code false}). */
    static final String PROPERTY = "pagoda.cuda.matvecRing";
    /**
     * The system property that has each thread stage two records of x per pass ({@code true}): x of more records
     * than a block has threads (the down projections) then comes in one L2 round trip, not two (matvec_x8_stage.cuh
     * stage_x8). Same products. An experiment of decode round 28 (docs/perf/NOTES.md): 1.5 % slower on the H100
     * (2026-12-07), so off; read when the launcher is built.
     */
    static final String STAGE_PAIRS_PROPERTY = "pagoda.cuda.ringStagePairs";
    /**
     * The system property that, set to {@code false}, stops marking the ring's weights as the first to leave the L2
     * (the bulk copies' L2 cache hint evict_first), which keeps what a step reads again in the L2 rather than a token's
     * weights read once. Same products. Decode round 34 (docs/perf/NOTES.md: 8B Q4_K_M 371 -> 379 tok/s alone on the
     * H100, 400 with {@code pagoda.cuda.normRecords}); on by default, read when the launcher is built.
     */
    static final String EVICT_FIRST_PROPERTY = "pagoda.cuda.ringEvictFirst";
    /** Eight consumer warps and one producer warp (matvec_ring.cuh RING_THREADS). */
    static final int THREADS = 9 * 32;
    /** Format blocks per row and stage (RING_CHUNK_BLOCKS). */
    static final int CHUNK_BLOCKS = 8;
    /** Shared bytes before x: a full and an empty barrier per stage (RING_BARRIER_BYTES). */
    static final int BARRIER_BYTES = 256;
    static final int MAX_STAGES = BARRIER_BYTES / 16;
    /** Blocks per multiprocessor (the kernels' launch bounds ask for 2). */
    static final int BLOCKS_PER_SM = 2;

    /** Grid, stages in the ring, requests in flight per block (1..stages), and dynamic shared memory of one launch. */
    record Shape(int grid, int stages, int ahead, int xBytes, int sharedBytes) {
    }

    private final CudaModule module;
    private final Map<WeightType, CudaKernel> kernels = new EnumMap<>(WeightType.class);
    private final MatVecInput input;
    private final int multiprocessors;
    private final int blockSharedBytes;
    private final CudaKernel q4kThenQ6k;
    private final CudaKernel qkvCache;
    private final CudaKernel qkThenQ6kVCache;
    private final RingAhead ahead;
    private final int xPerThread;
    private final int evictFirst;
    private final NormRecords normRecords;
    private RingTrace trace;  // while a step is captured for tracing

    private RingMatVec(Cuda cuda, MatVecInput input, RingAhead ahead) {
        this.input = input;
        this.ahead = ahead;
        this.xPerThread = Boolean.getBoolean(STAGE_PAIRS_PROPERTY) ? 2 : 1;
        this.evictFirst = "false".equals(System.getProperty(EVICT_FIRST_PROPERTY)) ? 0 : 1;
        this.module = PtxModules.load(cuda, "matvec_ring");
        this.multiprocessors = cuda.multiprocessorCount();
        int optIn = cuda.attribute(cuda_h.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN());
        // A multiprocessor has the opt-in maximum plus the 1 KB the system keeps per block (H100: 227 + 1 KB),
        // and each resident block again reserves 1 KB of it.
        this.blockSharedBytes = (optIn + 1024) / BLOCKS_PER_SM - 1024;
        for (WeightType type : List.of(WeightType.Q4_K, WeightType.Q6_K)) {
            CudaKernel kernel = module.kernel("matvec_ring_" + input.kernelInfix() + type.kernelSuffix());
            kernel.allowDynamicSharedMemory(blockSharedBytes);
            kernels.put(type, kernel);
        }
        this.q4kThenQ6k = module.kernel("matvec_ring_" + input.kernelInfix() + "q4_k_q6_k");
        q4kThenQ6k.allowDynamicSharedMemory(blockSharedBytes);
        this.qkvCache = module.kernel("matvec_ring_" + input.kernelInfix() + "q4_k_qkv_cache");
        qkvCache.allowDynamicSharedMemory(blockSharedBytes);
        this.qkThenQ6kVCache = module.kernel("matvec_ring_" + input.kernelInfix() + "q4_k_q6_k_qkv_cache");
        qkThenQ6kVCache.allowDynamicSharedMemory(blockSharedBytes);
        this.normRecords = new NormRecords(cuda, input);
    }

    /** Rows per tile: eight consumer warps of two q4_K rows or one q6_K row (RingQ4K / RingQ6K TILE_ROWS). */
    static int tileRows(WeightType type) {
        return type == WeightType.Q4_K ? 16 : 8;
    }

    static int stageBytes(WeightType type) {
        return tileRows(type) * CHUNK_BLOCKS * type.blockBytes();
    }

    /**
     * The ring launcher for x taken as {@code input}, on a device of compute capability 9.0 or newer unless
     * {@link #PROPERTY} is {@code false}; empty otherwise, and for float x: its consumers are issue-bound, and with
     * two thirds of the register kernel's warps they lost (H100, 14336 x 4096: 24.8 against 19.1 µs;
     * docs/perf/NOTES.md decode round 15). Its blocks' requests in flight are capped as {@code ahead} says.
     */
    static Optional<RingMatVec> open(Cuda cuda, MatVecInput input, RingAhead ahead) {
        if (input == MatVecInput.FLOAT32 || !cuda.computeCapability().atLeast(9, 0)
                || !Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return Optional.empty();
        }
        return Optional.of(new RingMatVec(cuda, input, ahead));
    }

    /**
     * Whether a launch of {@code type} over rows of {@code cols} columns starting {@code offset} bytes into its
     * buffer runs here: q4_K, or q6_K whose rows hold whole chunks of 8 blocks (a chunk's span, 1,680 bytes, is a
     * multiple of 16 as the bulk copy needs, and a partial one would not be), starting 16-byte aligned, with room
     * for at least two stages.
     */
    boolean covers(WeightType type, int cols, long offset) {
        boolean format = type == WeightType.Q4_K || (type == WeightType.Q6_K && cols % (256 * CHUNK_BLOCKS) == 0);
        return format && offset % 16 == 0 && shape(type, tileRows(type), cols).stages() >= 2;
    }

    /** Bytes of x as the kernel stages it for {@code cols} columns, rounded up to 128. */
    int xBytes(int cols) {
        return (int) (input.recordsBytes(cols) + 127) & ~127;
    }

    Shape shape(WeightType type, int rows, int cols) {
        return shape(ceilDiv(rows, tileRows(type)), stageBytes(type), cols, 0);
    }

    // extraBytes: more shared bytes after x's records (the norm's scratch, TokenCache's table)
    private Shape shape(long tiles, int stageBytes, int cols, int extraBytes) {
        return shape(tiles, stageBytes, cols, extraBytes, MAX_STAGES);
    }

    // maxStages: fewer than MAX_STAGES where the launch needs a barrier of its own (Source.maxStages)
    private Shape shape(long tiles, int stageBytes, int cols, int extraBytes, int maxStages) {
        int xBytes = (xBytes(cols) + extraBytes + 127) & ~127;
        int stages = Math.min(maxStages, (blockSharedBytes - BARRIER_BYTES - xBytes) / stageBytes);
        int grid = (int) Math.min(tiles, (long) multiprocessors * BLOCKS_PER_SM);
        return new Shape(grid, stages, ahead.inFlight(stages, cols), xBytes,
                BARRIER_BYTES + xBytes + stages * stageBytes);
    }

    /** A q4_K launch followed by one q6_K matrix's tiles: stages as large as the larger of the two formats'. */
    Shape q4kThenQ6kShape(int q4kRows, int q6kRows, int cols) {
        return q4kThenQ6kShape(q4kRows, q6kRows, cols, 0);
    }

    private Shape q4kThenQ6kShape(int q4kRows, int q6kRows, int cols, int extraBytes) {
        return q4kThenQ6kShape(q4kRows, q6kRows, cols, extraBytes, MAX_STAGES);
    }

    private Shape q4kThenQ6kShape(int q4kRows, int q6kRows, int cols, int extraBytes, int maxStages) {
        return shape(ceilDiv(q4kRows, tileRows(WeightType.Q4_K)) + ceilDiv(q6kRows, tileRows(WeightType.Q6_K)),
                Math.max(stageBytes(WeightType.Q4_K), stageBytes(WeightType.Q6_K)), cols, extraBytes, maxStages);
    }

    /**
     * x as a launch's kernel takes it: {@code x} as it is (no norm), normed as every block stages it ({@code staged}),
     * or the records an earlier kernel wrote ({@code records}; their barrier then takes the slot after the stages'
     * full and empty ones, so one stage fewer fits).
     */
    private record Source(DeviceBuffer x, NormedX staged, DeviceBuffer records) {
        int extraBytes() {
            return NormedX.scratchBytes(staged);
        }

        int maxStages() {
            return records != null ? MAX_STAGES - 1 : MAX_STAGES;
        }
    }

    // x or norm as the launch takes it; a norm that names records is queued here first (NormRecords)
    private Source source(DeviceBuffer x, NormedX norm, int cols, CudaStream stream) {
        if (norm == null) {
            return new Source(x, null, null);
        }
        if (norm.records() == null) {
            return new Source(norm.x(), norm, null);
        }
        normRecords.launch(norm, cols, stream);
        return new Source(null, null, norm.records());
    }

    /**
     * Whether a launch at {@code cols} columns that norms its x as it stages it (and, with {@code headDim} > 0,
     * stores a token's cache, {@link #launchQkvCache}) has room for two stages; a normed x also needs one record per
     * thread (matvec_ring_norm.cuh): 9216 columns at most.
     */
    boolean fits(int cols, boolean normed, int headDim) {
        if (normed && cols / 32 > THREADS) {
            return false;
        }
        int extra = (normed ? NormedX.SCRATCH_BYTES : 0) + (headDim > 0 ? TokenCache.tableBytes(headDim) : 0);
        return q4kThenQ6kShape(1, 1, cols, extra).stages() >= 2;
    }

    /** Launches from now on take a slot of {@code trace} for their timestamps (null: no longer). */
    void trace(RingTrace trace) {
        this.trace = trace;
    }

    /**
     * Queues y_i = W_i x for the matrices {@code parts} ({@code rows} in all) of a {@link #covers covered} type,
     * checked by the caller, as one launch.
     */
    void launch(WeightType type, int rows, int cols, DeviceBuffer x, List<FusedMatVec.Part> parts, CudaStream stream) {
        launch(type, rows, cols, x, null, parts, stream);
    }

    /** {@link #launch} with x normed as it is staged ({@code norm}, where not null: then x is norm.x; {@link #fits}). */
    void launch(WeightType type, int rows, int cols, DeviceBuffer x, NormedX norm, List<FusedMatVec.Part> parts,
                CudaStream stream) {
        launch(type, rows, cols, source(x, norm, cols, stream), parts, stream);
    }

    /**
     * {@link #launch} of one matrix whose x is {@code records}: x's integer records as {@link SwiGlu#launchRecords}
     * wrote them, which every block copies into its shared memory in one bulk request instead of staging x
     * (matvec_ring.cuh). The caller checks {@link #covers}. The same products as {@link #launch} of the floats
     * those records were made from.
     */
    void launchFromRecords(WeightType type, int rows, int cols, DeviceBuffer records, FusedMatVec.Part part,
                           CudaStream stream) {
        launch(type, rows, cols, new Source(null, null, records), List.of(part), stream);
    }

    private void launch(WeightType type, int rows, int cols, Source source, List<FusedMatVec.Part> parts,
                        CudaStream stream) {
        Shape shape = shape(ceilDiv(rows, tileRows(type)), stageBytes(type), cols, source.extraBytes(),
                source.maxStages());
        KernelArgs args = FusedMatVec.groupedArgs(type, cols, source.x(), parts);
        appendSource(args, source.staged(), source.records());
        appendShape(args, shape);
        traceArg(args, type.toString(), rows, cols, (long) rows * type.rowBytes(cols));
        kernels.get(type).launch(Dim3.of(shape.grid()), Dim3.of(THREADS), shape.sharedBytes(), stream, args);
    }

    /**
     * Queues the q4_K matrices {@code q4k} ({@code q4kRows} in all) and then the q6_K matrix {@code q6k}, both
     * {@link #covers covered} at {@code cols} columns (checked by the caller), as one launch: the same products as
     * their two launches (matvec_ring.cuh says why one). x normed as {@link #launch} says.
     */
    void launchQ4kThenQ6k(int q4kRows, int cols, DeviceBuffer x, NormedX norm, List<FusedMatVec.Part> q4k,
                          FusedMatVec.Part q6k, CudaStream stream) {
        Source source = source(x, norm, cols, stream);
        Shape shape = q4kThenQ6kShape(q4kRows, q6k.rows(), cols, source.extraBytes(), source.maxStages());
        KernelArgs args = FusedMatVec.groupedArgs(WeightType.Q4_K, cols, source.x(), q4k);
        appendSource(args, source.staged(), source.records());
        args.pointer(q6k.w(), q6k.offset()).i64(WeightType.Q6_K.rowBytes(cols)).pointer(q6k.y()).i32(q6k.rows());
        appendShape(args, shape);
        traceArg(args, "Q4_K+Q6_K", q4kRows + q6k.rows(), cols,
                (long) q4kRows * WeightType.Q4_K.rowBytes(cols) + (long) q6k.rows() * WeightType.Q6_K.rowBytes(cols));
        q4kThenQ6k.launch(Dim3.of(shape.grid()), Dim3.of(THREADS), shape.sharedBytes(), stream, args);
    }

    /**
     * Queues one token's q, k and v, all q4_K and {@link #covers covered} at {@code cols} columns (checked by the
     * caller), as one launch that also does rope_qk_store's work as it stores them (qkv_cache_store.cuh): q and k
     * rotated in their y, k and v also into {@code cache}. The same bits as {@link #launch} and {@link RopeKvStore}.
     * x normed as {@link #launch} says.
     */
    void launchQkvCache(int cols, DeviceBuffer x, NormedX norm, List<FusedMatVec.Part> qkv, TokenCache cache,
                        CudaStream stream) {
        int rows = qkv.stream().mapToInt(FusedMatVec.Part::rows).sum();
        Source source = source(x, norm, cols, stream);
        Shape shape = shape(ceilDiv(rows, tileRows(WeightType.Q4_K)), stageBytes(WeightType.Q4_K), cols,
                source.extraBytes() + TokenCache.tableBytes(cache.headDim()), source.maxStages());
        KernelArgs args = FusedMatVec.groupedArgs(WeightType.Q4_K, cols, source.x(), qkv);
        appendSource(args, source.staged(), source.records());
        cache.appendTo(args);
        appendShape(args, shape);
        traceArg(args, "Q4_K", rows, cols, (long) rows * WeightType.Q4_K.rowBytes(cols));
        qkvCache.launch(Dim3.of(shape.grid()), Dim3.of(THREADS), shape.sharedBytes(), stream, args);
    }

    /** {@link #launchQkvCache} for q4_K q and k and a q6_K v, as {@link #launchQ4kThenQ6k}'s one launch. */
    void launchQkThenQ6kVCache(int cols, DeviceBuffer x, NormedX norm, List<FusedMatVec.Part> qk, FusedMatVec.Part v,
                               TokenCache cache, CudaStream stream) {
        int qkRows = qk.stream().mapToInt(FusedMatVec.Part::rows).sum();
        Source source = source(x, norm, cols, stream);
        Shape shape = q4kThenQ6kShape(qkRows, v.rows(), cols,
                source.extraBytes() + TokenCache.tableBytes(cache.headDim()), source.maxStages());
        KernelArgs args = FusedMatVec.groupedArgs(WeightType.Q4_K, cols, source.x(), qk);
        appendSource(args, source.staged(), source.records());
        args.pointer(v.w(), v.offset()).i64(WeightType.Q6_K.rowBytes(cols)).pointer(v.y()).i32(v.rows());
        cache.appendTo(args);
        appendShape(args, shape);
        traceArg(args, "Q4_K+Q6_K", qkRows + v.rows(), cols,
                (long) qkRows * WeightType.Q4_K.rowBytes(cols) + (long) v.rows() * WeightType.Q6_K.rowBytes(cols));
        qkThenQ6kVCache.launch(Dim3.of(shape.grid()), Dim3.of(THREADS), shape.sharedBytes(), stream, args);
    }

    // the kernels' last arguments but the trace's stamps (matvec_ring.cu RING_SHAPE_PARAMS)
    private void appendShape(KernelArgs args, Shape shape) {
        args.i32(shape.stages()).i32(shape.ahead()).i32(shape.xBytes()).i32(xPerThread).i32(evictFirst);
    }

    // the kernels' source arguments (matvec_ring.cu RING_SOURCE_PARAMS): the norm's (none: x as it is) and x's records
    // made by an earlier kernel (null: x staged by the launch)
    private static void appendSource(KernelArgs args, NormedX norm, DeviceBuffer records) {
        NormedX.appendTo(args, norm);
        args.pointerOrNull(records);
    }

    private void traceArg(KernelArgs args, String formats, int rows, int cols, long bytes) {
        if (trace != null) {
            args.pointer(trace.buffer(), trace.slot(formats, rows, cols, bytes));
        } else {
            args.nullPointer();
        }
    }

    @Override
    public void close() {
        normRecords.close();
        module.close();
    }
}
