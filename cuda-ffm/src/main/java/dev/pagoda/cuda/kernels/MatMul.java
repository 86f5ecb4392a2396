package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaKernel;
import dev.pagoda.cuda.CudaModule;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.Dim3;
import dev.pagoda.cuda.KernelArgs;

import java.util.EnumMap;
import java.util.Map;

import static dev.pagoda.cuda.kernels.LaunchChecks.ceilDiv;
import static dev.pagoda.cuda.kernels.LaunchChecks.requireBytes;
import static dev.pagoda.cuda.kernels.LaunchChecks.requirePositive;
import static dev.pagoda.cuda.kernels.LaunchChecks.requireWeights;

/**
 * Prefill matrix-matrix product on the tensor cores ({@code matmul.cu}): Y[t][r] = sum_k X[t][k] W[r][k]
 * for {@code tokens} rows of X, with W dequantized to f16 tiles and X rounded to f16, accumulated in
 * float32. X is rounded once per input by {@link #toHalf} (products sharing an input, q/k/v or gate/up,
 * share the rounding) and {@link #launchHalf} reads the f16 copy.
 *
 * <p>Two tilings of the same kernel: {@value #TILE_ROWS} rows x {@value #TILE_TOKENS} tokens per block
 * for batches of more than {@value #SMALL_TILE_TOKENS} tokens, else {@value #TILE_ROWS} x
 * {@value #SMALL_TILE_TOKENS} (less of the tile past the batch). The large tile decodes each weight
 * once per 128 tokens instead of 64: on the H200 at 512 tokens it ran 1.3-1.6x the small one's rate
 * even where its grid left multiprocessors without a block (4096 x 4096: 199 vs 153 TFLOP/s), and the
 * k splits below fill the device instead (MatMulSplitSweep, docs/perf/NOTES.md).
 *
 * <p>Split-K: given a workspace of {@link #SPLIT_WORKSPACE_BYTES}, a product whose grid would leave the
 * device's block slots (two per multiprocessor) largely empty also cuts its k range into splits (whole
 * 256-element spans), each block z writing float32 partial sums into the workspace, and
 * {@code matmul_split_sum} adds them in split order into Y (the same result whatever the scheduling).
 * {@link #plan} picks the tiling and the split count.
 *
 * <p>Float rows whose width is not a multiple of 32 run {@code matmul_any_<type>}: one more, partial k
 * step, with X's f16 rows padded with zeros to {@link #halfPitch} and the weights past a row's end not
 * read.
 */
public final class MatMul implements AutoCloseable {
    /** Weight rows per block tile (matmul.cu MATMUL_BM). */
    public static final int TILE_ROWS = 128;
    /** Tokens per block tile of the large tiling. */
    public static final int TILE_TOKENS = 128;
    /** Tokens per block tile of the small tiling ({@code matmul_<type>_n64}). */
    public static final int SMALL_TILE_TOKENS = 64;
    public static final int THREADS = 256;
    /** matmul.cu: two f16 weight tiles of 128 x 40 halves, then 4 activation tiles of tokens x 40 halves. */
    private static final int TILE_PITCH_BYTES = 80;
    private static final int ACTIVATION_STAGES = 4;
    private static final int CONVERT_THREADS = 256;
    /** Columns per k step (matmul.cu MATMUL_BK). */
    private static final int MATMUL_STEP = 32;
    /** Most k splits of one product. */
    public static final int MAX_SPLITS = 8;
    /** Bytes of the split-K workspace every {@link #plan} fits in (splits x tokens x rows floats). */
    public static final long SPLIT_WORKSPACE_BYTES = 16L << 20;
    /** Block slots per multiprocessor the plan fills (the kernels run two blocks per SM). */
    private static final int BLOCKS_PER_SM = 2;
    /** k steps of 32 per split at least: shorter splits spend more on their pipeline fill than they save. */
    static final int MIN_SPLIT_STEPS = 32;
    /** Split spans are multiples of this many k steps (256 elements: whole blocks of every format). */
    private static final int SPLIT_STEP_MULTIPLE = 8;

    private final CudaModule module;
    private final int multiprocessors;
    private final Map<WeightType, CudaKernel> large = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> small = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> largeAnyWidth = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> smallAnyWidth = new EnumMap<>(WeightType.class);
    private final CudaKernel toHalf;
    private final CudaKernel toHalfRows;
    private final CudaKernel splitSum;

    /** How one product is launched: tokens per block tile and the number of k splits (1: none). */
    public record Plan(int tileTokens, int splits) {
    }

    public MatMul(Cuda cuda) {
        this.module = PtxModules.load(cuda, "matmul");
        this.multiprocessors = cuda.multiprocessorCount();
        for (WeightType type : WeightType.values()) {
            CudaKernel l = module.kernel("matmul_" + type.kernelSuffix());
            CudaKernel s = module.kernel("matmul_" + type.kernelSuffix() + "_n64");
            l.allowDynamicSharedMemory(sharedBytes(TILE_TOKENS));
            s.allowDynamicSharedMemory(sharedBytes(SMALL_TILE_TOKENS));
            large.put(type, l);
            small.put(type, s);
            if (type.anyWidth()) {
                CudaKernel la = module.kernel("matmul_any_" + type.kernelSuffix());
                CudaKernel sa = module.kernel("matmul_any_" + type.kernelSuffix() + "_n64");
                la.allowDynamicSharedMemory(sharedBytes(TILE_TOKENS));
                sa.allowDynamicSharedMemory(sharedBytes(SMALL_TILE_TOKENS));
                largeAnyWidth.put(type, la);
                smallAnyWidth.put(type, sa);
            }
        }
        this.toHalf = module.kernel("matmul_to_half");
        this.toHalfRows = module.kernel("matmul_to_half_rows");
        this.splitSum = module.kernel("matmul_split_sum");
    }

    private static int sharedBytes(int tileTokens) {
        return (2 * TILE_ROWS + ACTIVATION_STAGES * tileTokens) * TILE_PITCH_BYTES;
    }

    /**
     * Halves per row of the f16 copy of activations with {@code cols} columns: cols rounded up to whole
     * k steps of 32 (matmul_dequant.cuh half_pitch), the pad zero, so that a width that is not a
     * multiple of 32 still reads aligned, whole steps.
     */
    public static int halfPitch(int cols) {
        return Math.addExact(cols, 31) & ~31;
    }

    /** Bytes of the f16 copy of {@code tokens} x {@code cols} activations that {@link #toHalf} writes. */
    public static long halfBytes(int tokens, int cols) {
        return 2L * tokens * halfPitch(cols);
    }

    /**
     * Queues the rounding of {@code tokens} x {@code cols} float32 activations X to f16 into
     * {@code xHalf}, in rows of {@link #halfPitch} halves.
     */
    public void toHalf(DeviceBuffer x, int tokens, int cols, DeviceBuffer xHalf, CudaStream stream) {
        requirePositive(tokens, "tokens", "matmul toHalf");
        requirePositive(cols, "cols", "matmul toHalf");
        long n = (long) tokens * cols;
        requireBytes(x, n * Float.BYTES, "X", "matmul toHalf");
        requireBytes(xHalf, halfBytes(tokens, cols), "X f16", "matmul toHalf");
        if (cols % 32 == 0) {
            int blocks = (int) Math.min(ceilDiv(n / 8, CONVERT_THREADS), 4L * multiprocessors * 8);
            toHalf.launch(Dim3.of(blocks), Dim3.of(CONVERT_THREADS), 0, stream,
                    KernelArgs.of().pointer(x).pointer(xHalf).i64(n));
        } else {
            long padded = (long) tokens * halfPitch(cols);
            int blocks = (int) Math.min(ceilDiv(padded, CONVERT_THREADS), 4L * multiprocessors * 8);
            toHalfRows.launch(Dim3.of(blocks), Dim3.of(CONVERT_THREADS), 0, stream,
                    KernelArgs.of().pointer(x).pointer(xHalf).i32(tokens).i32(cols));
        }
    }

    /** Tokens per block tile that {@link #launchHalf} uses for a batch of {@code tokens}. */
    public static int tileTokens(int tokens) {
        return tokens > SMALL_TILE_TOKENS ? TILE_TOKENS : SMALL_TILE_TOKENS;
    }

    /**
     * The launch {@link #launchHalf} makes for this shape: the tiling of {@link #tileTokens(int)}, and, with a
     * workspace, as many k splits as fill the device's block slots, each at least {@value #MIN_SPLIT_STEPS}
     * k steps long, all within {@link #SPLIT_WORKSPACE_BYTES}; float rows of any width never split.
     */
    public Plan plan(WeightType type, int rows, int cols, int tokens, boolean workspace) {
        int tile = tileTokens(tokens);
        if (!workspace || !splittable(type, cols)) {
            return new Plan(tile, 1);
        }
        long blocks = (long) ceilDiv(rows, TILE_ROWS) * ceilDiv(tokens, tile);
        int splits = (int) Math.min(MAX_SPLITS, BLOCKS_PER_SM * multiprocessors / blocks);
        splits = Math.min(splits, cols / MATMUL_STEP / MIN_SPLIT_STEPS);
        splits = (int) Math.min(splits, SPLIT_WORKSPACE_BYTES / ((long) tokens * rows * Float.BYTES));
        return new Plan(tile, Math.max(1, splits));
    }

    // k splits start on whole 256-element spans, which rows of any width (the matmul_any kernels) lack
    private static boolean splittable(WeightType type, int cols) {
        return type.wholeUnits(cols) && cols % (MATMUL_STEP * SPLIT_STEP_MULTIPLE) == 0;
    }

    /** Queues Y = X W^T on {@code stream}, X given as the f16 copy written by {@link #toHalf}; no k splits. */
    public void launchHalf(WeightType type, DeviceBuffer w, long wOffset, int rows, int cols, DeviceBuffer xHalf,
                           int tokens, DeviceBuffer y, CudaStream stream) {
        launchHalf(type, w, wOffset, rows, cols, xHalf, tokens, y, null, stream);
    }

    /**
     * Queues Y = X W^T on {@code stream}, X given as the f16 copy written by {@link #toHalf}, split over k
     * as {@link #plan} says when {@code workspace} (at least {@link #SPLIT_WORKSPACE_BYTES}, its contents
     * overwritten) is given.
     */
    public void launchHalf(WeightType type, DeviceBuffer w, long wOffset, int rows, int cols, DeviceBuffer xHalf,
                           int tokens, DeviceBuffer y, DeviceBuffer workspace, CudaStream stream) {
        launchHalf(type, w, wOffset, rows, cols, xHalf, tokens, y, workspace,
                plan(type, rows, cols, tokens, workspace != null), stream);
    }

    /** The launch with a given plan (the sweep in the tests times the alternatives to {@link #plan}). */
    void launchHalf(WeightType type, DeviceBuffer w, long wOffset, int rows, int cols, DeviceBuffer xHalf,
                    int tokens, DeviceBuffer y, DeviceBuffer workspace, Plan plan, CudaStream stream) {
        requireWeights(type, w, wOffset, rows, cols, "matmul");
        requirePositive(tokens, "tokens", "matmul");
        requireBytes(xHalf, halfBytes(tokens, cols), "X f16", "matmul");
        requireBytes(y, (long) tokens * rows * Float.BYTES, "Y", "matmul");
        int tileTokens = plan.tileTokens();
        boolean whole = type.wholeUnits(cols);
        CudaKernel kernel = (tileTokens == TILE_TOKENS ? (whole ? large : largeAnyWidth) : (whole ? small : smallAnyWidth))
                .get(type);
        int allSteps = ceilDiv(cols, MATMUL_STEP);
        int splitSteps = 0;
        int splits = 1;
        if (plan.splits() > 1) {
            if (!splittable(type, cols)) {
                throw new IllegalArgumentException("matmul: k splits need whole 256-column spans, got " + cols + " columns");
            }
            requireBytes(workspace, (long) plan.splits() * tokens * rows * Float.BYTES, "split-K workspace", "matmul");
            splitSteps = ceilDiv(ceilDiv(allSteps, plan.splits()), SPLIT_STEP_MULTIPLE) * SPLIT_STEP_MULTIPLE;
            splits = ceilDiv(allSteps, splitSteps);
        }
        DeviceBuffer out = splits > 1 ? workspace : y;
        kernel.launch(new Dim3(ceilDiv(rows, TILE_ROWS), ceilDiv(tokens, tileTokens), splits), Dim3.of(THREADS),
                sharedBytes(tileTokens), stream, KernelArgs.of().pointer(w, wOffset).i64(type.rowBytes(cols))
                        .pointer(xHalf).pointer(out)
                        .i32(rows).i32(cols).i32(tokens).i32(splitSteps));
        if (splits > 1) {
            long n = (long) tokens * rows;
            int blocks = (int) Math.min(ceilDiv(n, CONVERT_THREADS), 8L * multiprocessors);
            splitSum.launch(Dim3.of(blocks), Dim3.of(CONVERT_THREADS), 0, stream,
                    KernelArgs.of().pointer(workspace).pointer(y).i64(n).i32(splits));
        }
    }

    @Override
    public void close() {
        module.close();
    }
}
