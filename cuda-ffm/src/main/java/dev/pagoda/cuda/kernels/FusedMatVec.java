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

import static dev.pagoda.cuda.kernels.LaunchChecks.requireBytes;
import static dev.pagoda.cuda.kernels.LaunchChecks.requireWeights;

/**
 * The decode step's fused matrix-vector launches ({@code matvec_fused.cu}, the kernels of {@link MatVec}
 * with other row and input sources): several matrices of one format and width in one launch (q/k/v,
 * gate/up: the launch's fixed cost is paid once, no weights are copied), and y = W (silu(gate) · up) with
 * the SwiGLU done while the input is staged (the FFN down projection without a swiglu launch). Float
 * rows whose width is not a multiple of 32 run the same launches through the any-width kernels. Under
 * {@link MatVecInput#INT8} the formats it covers run the int8-x kernels ({@code matvec_rows3_x8_<type>},
 * {@code matvec_swiglu_x8_<type>}).
 */
public final class FusedMatVec implements AutoCloseable {
    /** The most matrices one {@link #launch(WeightType, int, DeviceBuffer, List, CudaStream)} takes. */
    public static final int MAX_PARTS = 3;

    /** One matrix of a grouped launch: {@code rows} rows starting {@code offset} bytes into w, results into y. */
    public record Part(DeviceBuffer w, long offset, int rows, DeviceBuffer y) {
    }

    private final CudaModule module;
    private final Map<WeightType, CudaKernel> grouped = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> swiGlu = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> groupedAnyWidth = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> swiGluAnyWidth = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> groupedInt8 = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> swiGluInt8 = new EnumMap<>(WeightType.class);
    private final MatVecInput input;
    private final int multiprocessors;
    private final int maxSharedBytes;
    private final Optional<RingMatVec> ring;
    private final boolean q4kThenQ6k = !"false".equals(System.getProperty("pagoda.cuda.ringQ4kThenQ6k"));
    private final boolean qkvCache = !"false".equals(System.getProperty(QKV_CACHE_PROPERTY));
    private final boolean normStaging = normStaging();

    /**
     * The system property that lets {@link #coversNormed} say yes (the default; {@code false} says no): the decode
     * step's q/k/v and gate/up launches compute their RMSNorm as they stage x, instead of add_rmsnorm before them, and
     * {@link RmsNorm} / {@link AddRmsNorm} sum in the same order. Decode round 30 (docs/perf/NOTES.md); read when the
     * launchers are created.
     */
    public static final String NORM_STAGING_PROPERTY = "pagoda.cuda.normStaging";

    /**
     * The system property that, set to {@code false}, stops the decode step norming x into records before a normed
     * launch ({@link NormedX#records}, {@code norm_records.cu}), so that every block of it norms x itself. Decode rounds
     * 33 and 35 (docs/perf/NOTES.md: 8B Q4_K_M 371 -> 386 tok/s alone on the H100, 400 with
     * {@code pagoda.cuda.ringEvictFirst}); on by default, read by the core's graph builder.
     */
    public static final String NORM_RECORDS_PROPERTY = "pagoda.cuda.normRecords";

    /** Whether {@link #NORM_STAGING_PROPERTY} is on now (it is unless set to {@code false}). */
    public static boolean normStaging() {
        return !"false".equals(System.getProperty(NORM_STAGING_PROPERTY));
    }

    /**
     * The system property that lets {@link #coversQkvCache} say yes (the default; {@code false} says no): one decode
     * token's q/k/v launch does {@link RopeKvStore}'s work as it stores its rows. Decode round 29
     * (docs/perf/NOTES.md); read when the launcher is created.
     */
    public static final String QKV_CACHE_PROPERTY = "pagoda.cuda.qkvCacheStore";

    /** Float32 x for every format ({@link MatVecInput#FLOAT32}). */
    public FusedMatVec(Cuda cuda) {
        this(cuda, MatVecInput.FLOAT32);
    }

    /**
     * x as {@code input} says for the formats it covers (the SwiGLU product quantized as it is staged); grouped
     * q4_K and q6_K launches through the bulk-copy ring kernel ({@link RingMatVec}) where the device has it and
     * {@code -Dpagoda.cuda.matvecRing} is not false.
     */
    public FusedMatVec(Cuda cuda, MatVecInput input) {
        this(cuda, input, true);
    }

    /** {@code ring} false keeps q4_K and q6_K on the register kernels (to compare the two). */
    FusedMatVec(Cuda cuda, MatVecInput input, boolean ring) {
        this(cuda, input, ring, RingAhead.fromProperties());
    }

    /** As {@link #FusedMatVec(Cuda, MatVecInput, boolean)}, the ring's requests in flight capped as {@code ahead} says. */
    FusedMatVec(Cuda cuda, MatVecInput input, boolean ring, RingAhead ahead) {
        this.input = input;
        this.ring = ring ? RingMatVec.open(cuda, input, ahead) : Optional.empty();
        this.module = PtxModules.load(cuda, "matvec_fused");
        this.multiprocessors = cuda.multiprocessorCount();
        this.maxSharedBytes = cuda.attribute(cuda_h.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN());
        for (WeightType type : WeightType.values()) {
            load(grouped, "matvec_rows3_", type);
            load(swiGlu, "matvec_swiglu_", type);
            if (type.anyWidth()) {
                load(groupedAnyWidth, "matvec_rows3_any_", type);
                load(swiGluAnyWidth, "matvec_swiglu_any_", type);
            }
            if (input.quantizes(type)) {
                load(groupedInt8, "matvec_rows3_" + input.kernelInfix(), type);
                load(swiGluInt8, "matvec_swiglu_" + input.kernelInfix(), type);
            }
        }
    }

    // every kernel of the module may take up to the device's opt-in shared memory (x staged in it)
    private void load(Map<WeightType, CudaKernel> into, String prefix, WeightType type) {
        CudaKernel kernel = module.kernel(prefix + type.kernelSuffix());
        kernel.allowDynamicSharedMemory(maxSharedBytes);
        into.put(type, kernel);
    }

    /** How this launcher takes x. */
    public MatVecInput input() {
        return input;
    }

    private MatVecShape shape(WeightType type, int rows, int cols, String op) {
        return MatVecShape.of(input, type, rows, cols, multiprocessors, maxSharedBytes, op);
    }

    private boolean takesKSplit(WeightType type) {
        return input.quantizes(type) || MatVecShape.takesKSplit(type);
    }

    /** Queues y_i = W_i x for 1 to {@link #MAX_PARTS} matrices of one type and {@code cols} columns, as one launch. */
    public void launch(WeightType type, int cols, DeviceBuffer x, List<Part> parts, CudaStream stream) {
        int rows = checkedRows(type, cols, x, parts, "matvec_rows3");
        if (ring.isPresent() && parts.stream().allMatch(p -> ring.get().covers(type, cols, p.offset()))) {
            ring.get().launch(type, rows, cols, x, parts, stream);
            return;
        }
        MatVecShape shape = shape(type, rows, cols, "matvec_rows3");
        KernelArgs args = groupedArgs(type, cols, x, parts);
        if (takesKSplit(type)) {
            args.i32(shape.kSplit());
        }
        (input.quantizes(type) ? groupedInt8 : type.wholeUnits(cols) ? grouped : groupedAnyWidth).get(type).launch(Dim3.of(shape.grid()), Dim3.of(MatVec.THREADS), shape.sharedBytes(), stream, args);
    }

    /**
     * Whether a matrix of {@code type} and {@code cols} columns at {@code offset} bytes into its buffer may be in a
     * normed launch ({@link #launchNormed} and the like): on the bulk-copy ring, at most 9216 columns (one record of
     * x per ring thread), and {@link #NORM_STAGING_PROPERTY} true.
     */
    public boolean coversNormed(WeightType type, int cols, long offset) {
        return normStaging && ring.isPresent() && ring.get().covers(type, cols, offset) && ring.get().fits(cols, true, 0);
    }

    /**
     * {@link #launch} of y_i = W_i RMSNorm(x.x + x.add) · x.weight, the norm computed as x is staged and x.x + x.add
     * written to x.sum: the same bits as {@link AddRmsNorm} (or {@link RmsNorm}) and {@link #launch} after it. Every
     * part must be {@link #coversNormed covered}.
     */
    public void launchNormed(WeightType type, int cols, NormedX x, List<Part> parts, CudaStream stream) {
        String op = "matvec_ring (normed x)";
        int rows = checkedRows(type, cols, x.x(), parts, op);
        requireNormed(x, cols, op, parts.stream().allMatch(p -> coversNormed(type, cols, p.offset())));
        ring.get().launch(type, rows, cols, null, x, parts, stream);
    }

    private static void requireNormed(NormedX x, int cols, String op, boolean covered) {
        if (!covered) {
            throw new IllegalArgumentException(op + ": a matrix is not covered here (coversNormed) at " + cols + " columns");
        }
        x.check(cols, op);
    }

    /**
     * Queues y_i = W_i x for the q4_K matrices {@code q4k} (1 to {@link #MAX_PARTS}) and then the q6_K matrix
     * {@code q6k}, all of {@code cols} columns: as one ring launch where the ring covers both (q and k with the
     * q6_K v of a Q4_K_M layer; matvec_ring.cuh says why), else as {@link #launch}'s two launches. Same products
     * either way. {@code -Dpagoda.cuda.ringQ4kThenQ6k=false} keeps the two launches (to compare; read when the
     * launcher is created).
     */
    public void launchQ4kThenQ6k(int cols, DeviceBuffer x, List<Part> q4k, Part q6k, CudaStream stream) {
        int q4kRows = checkedRows(WeightType.Q4_K, cols, x, q4k, "matvec_ring_q4_k_q6_k (q4_K)");
        checkedRows(WeightType.Q6_K, cols, x, List.of(q6k), "matvec_ring_q4_k_q6_k (q6_K)");
        if (q4kThenQ6k && ring.isPresent() && q4k.stream().allMatch(p -> ring.get().covers(WeightType.Q4_K, cols, p.offset()))
                && ring.get().covers(WeightType.Q6_K, cols, q6k.offset())) {
            ring.get().launchQ4kThenQ6k(q4kRows, cols, x, null, q4k, q6k, stream);
            return;
        }
        launch(WeightType.Q4_K, cols, x, q4k, stream);
        launch(WeightType.Q6_K, cols, x, List.of(q6k), stream);
    }

    /** {@link #launchQ4kThenQ6k} with x normed as {@link #launchNormed} says: one launch (every matrix covered). */
    public void launchQ4kThenQ6kNormed(int cols, NormedX x, List<Part> q4k, Part q6k, CudaStream stream) {
        String op = "matvec_ring_q4_k_q6_k (normed x)";
        int q4kRows = checkedRows(WeightType.Q4_K, cols, x.x(), q4k, op + " (q4_K)");
        checkedRows(WeightType.Q6_K, cols, x.x(), List.of(q6k), op + " (q6_K)");
        requireNormed(x, cols, op, q4k.stream().allMatch(p -> coversNormed(WeightType.Q4_K, cols, p.offset()))
                && coversNormed(WeightType.Q6_K, cols, q6k.offset()));
        ring.get().launchQ4kThenQ6k(q4kRows, cols, null, x, q4k, q6k, stream);
    }

    /**
     * Whether {@link #launchQkvCache} takes q and k of {@code qkType} and v of {@code vType}, all of {@code cols}
     * columns, with heads of {@code headDim}: on the bulk-copy ring ({@link RingMatVec}), q and k q4_K (a ring warp
     * holds both rows of a rotated pair), v q4_K or q6_K, every matrix covered there, q's and k's rows whole heads;
     * and {@link #QKV_CACHE_PROPERTY} true. With {@code normed}, also as {@link #coversNormed} says.
     */
    public boolean coversQkvCache(int cols, int headDim, boolean normed, WeightType qkType, Part q, Part k,
                                  WeightType vType, Part v) {
        if (!qkvCache || ring.isEmpty() || qkType != WeightType.Q4_K
                || (vType != WeightType.Q4_K && vType != WeightType.Q6_K) || headDim <= 0 || headDim % 2 != 0
                || q.rows() % headDim != 0 || k.rows() % headDim != 0 || (normed && !normStaging)) {
            return false;
        }
        RingMatVec r = ring.get();
        return r.fits(cols, normed, headDim) && r.covers(qkType, cols, q.offset()) && r.covers(qkType, cols, k.offset())
                && r.covers(vType, cols, v.offset());
    }

    /**
     * Queues one token's q = W_q x, k = W_k x and v = W_v x ({@link #coversQkvCache covered}) as one launch that also
     * does {@link RopeKvStore}'s work for that token as it stores them: q and k rotated in place (RoPE NORM mode), k
     * and v stored as f16 into {@code cache}'s row positions[0]. The same bits as {@link #launch} (or
     * {@link #launchQ4kThenQ6k}) followed by {@link RopeKvStore#launch}.
     */
    public void launchQkvCache(int cols, DeviceBuffer x, Part q, Part k, WeightType vType, Part v, TokenCache cache,
                               CudaStream stream) {
        launchQkvCache(cols, x, null, q, k, vType, v, cache, stream);
    }

    /** {@link #launchQkvCache} with x normed as {@link #launchNormed} says. */
    public void launchQkvCacheNormed(int cols, NormedX x, Part q, Part k, WeightType vType, Part v, TokenCache cache,
                                     CudaStream stream) {
        launchQkvCache(cols, null, x, q, k, vType, v, cache, stream);
    }

    private void launchQkvCache(int cols, DeviceBuffer plain, NormedX norm, Part q, Part k, WeightType vType, Part v,
                                TokenCache cache, CudaStream stream) {
        String op = "matvec_ring_q4_k_qkv_cache";
        if (!coversQkvCache(cols, cache.headDim(), norm != null, WeightType.Q4_K, q, k, vType, v)) {
            throw new IllegalArgumentException(op + ": not covered here (coversQkvCache): " + cols + " columns, q "
                    + q.rows() + " and k " + k.rows() + " rows of q4_K, v " + v.rows() + " rows of " + vType
                    + ", head length " + cache.headDim() + (norm != null ? ", normed x" : ""));
        }
        DeviceBuffer x = NormedX.x(plain, norm);
        if (norm != null) {
            norm.check(cols, op);
        }
        cache.check(k.rows(), v.rows(), op);
        if (vType == WeightType.Q4_K) {
            checkedRows(WeightType.Q4_K, cols, x, List.of(q, k, v), op);
            ring.get().launchQkvCache(cols, plain, norm, List.of(q, k, v), cache, stream);
        } else {
            checkedRows(WeightType.Q4_K, cols, x, List.of(q, k), op + " (q4_K)");
            checkedRows(WeightType.Q6_K, cols, x, List.of(v), op + " (q6_K)");
            ring.get().launchQkThenQ6kVCache(cols, plain, norm, List.of(q, k), v, cache, stream);
        }
    }

    // the rows of 1 to MAX_PARTS matrices of `type`, each checked against its buffers
    private static int checkedRows(WeightType type, int cols, DeviceBuffer x, List<Part> parts, String op) {
        if (parts.isEmpty() || parts.size() > MAX_PARTS) {
            throw new IllegalArgumentException(op + ": 1.." + MAX_PARTS + " matrices per launch, got " + parts.size());
        }
        requireBytes(x, (long) cols * Float.BYTES, "x", op);
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            requireWeights(type, p.w(), p.offset(), p.rows(), cols, op + " (matrix " + i + ")");
            requireBytes(p.y(), (long) p.rows() * Float.BYTES, "y of matrix " + i, op);
            total += p.rows();
        }
        return Math.toIntExact(total);
    }

    /**
     * The arguments every grouped kernel (matvec_rows3_*, matvec_ring_*) starts with: three weight pointers,
     * rowBytes, x, three y pointers, three row counts (unused matrices repeat the first with 0 rows), cols.
     */
    static KernelArgs groupedArgs(WeightType type, int cols, DeviceBuffer x, List<Part> parts) {
        KernelArgs args = KernelArgs.of();
        Part first = parts.getFirst();
        for (int i = 0; i < MAX_PARTS; i++) {
            Part p = i < parts.size() ? parts.get(i) : first;
            args.pointer(p.w(), p.offset());
        }
        args.i64(type.rowBytes(cols));
        args.pointerOrNull(x);  // null: x's records come another way (RingMatVec.launchFromRecords)
        for (int i = 0; i < MAX_PARTS; i++) {
            args.pointer(i < parts.size() ? parts.get(i).y() : first.y());
        }
        for (int i = 0; i < MAX_PARTS; i++) {
            args.i32(i < parts.size() ? parts.get(i).rows() : 0);
        }
        return args.i32(cols);
    }

    /** Queues y = W (silu(gate) · up), silu(g) = g / (1 + e^-g); gate and up hold {@code cols} float32. */
    public void launchSwiGlu(WeightType type, DeviceBuffer w, long wOffset, int rows, int cols, DeviceBuffer gate,
                             DeviceBuffer up, DeviceBuffer y, CudaStream stream) {
        launchSwiGlu(type, w, wOffset, rows, cols, gate, up, y, stream, shape(type, rows, cols, "matvec_swiglu"));
    }

    /** {@link #launchSwiGlu} with a given shape (MatVecShapeSweep). */
    void launchSwiGlu(WeightType type, DeviceBuffer w, long wOffset, int rows, int cols, DeviceBuffer gate,
                      DeviceBuffer up, DeviceBuffer y, CudaStream stream, MatVecShape shape) {
        requireWeights(type, w, wOffset, rows, cols, "matvec_swiglu");
        requireBytes(gate, (long) cols * Float.BYTES, "gate", "matvec_swiglu");
        requireBytes(up, (long) cols * Float.BYTES, "up", "matvec_swiglu");
        requireBytes(y, (long) rows * Float.BYTES, "y", "matvec_swiglu");
        KernelArgs args = KernelArgs.of().pointer(w, wOffset).i64(type.rowBytes(cols)).pointer(gate).pointer(up)
                .pointer(y).i32(rows).i32(cols);
        if (takesKSplit(type)) {
            args.i32(shape.kSplit());
        }
        (input.quantizes(type) ? swiGluInt8 : type.wholeUnits(cols) ? swiGlu : swiGluAnyWidth).get(type).launch(Dim3.of(shape.grid()), Dim3.of(MatVec.THREADS), shape.sharedBytes(), stream, args);
    }

    /** The grid, shared memory and k-split a launch over {@code rows} rows uses. */
    MatVecShape shape(WeightType type, int rows, int cols) {
        return shape(type, rows, cols, "matvec");
    }

    /** Ring launches from now on record their timestamps in {@code trace} (null: no longer); others are not traced. */
    public void traceRing(RingTrace trace) {
        ring.ifPresent(r -> r.trace(trace));
    }

    @Override
    public void close() {
        ring.ifPresent(RingMatVec::close);
        module.close();
    }
}
