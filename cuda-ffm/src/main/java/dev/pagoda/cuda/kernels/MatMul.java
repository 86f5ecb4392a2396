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
 * where that grid gives every multiprocessor at least one block (fewer dequantizations per flop), else
 * {@value #TILE_ROWS} x {@value #SMALL_TILE_TOKENS} (twice the blocks, so that e.g. a 4096-row matrix at
 * 512 tokens still occupies the whole device).
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

    private final CudaModule module;
    private final int multiprocessors;
    private final Map<WeightType, CudaKernel> large = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> small = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> largeAnyWidth = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> smallAnyWidth = new EnumMap<>(WeightType.class);
    private final CudaKernel toHalf;
    private final CudaKernel toHalfRows;

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

    /** Tokens per block tile that {@link #launch} uses for this shape on this device. */
    public int tileTokens(int rows, int tokens) {
        long largeBlocks = (long) ceilDiv(rows, TILE_ROWS) * ceilDiv(tokens, TILE_TOKENS);
        return largeBlocks >= multiprocessors ? TILE_TOKENS : SMALL_TILE_TOKENS;
    }

    /** Queues Y = X W^T on {@code stream}, X given as the f16 copy written by {@link #toHalf}. */
    public void launchHalf(WeightType type, DeviceBuffer w, long wOffset, int rows, int cols, DeviceBuffer xHalf,
                           int tokens, DeviceBuffer y, CudaStream stream) {
        requireWeights(type, w, wOffset, rows, cols, "matmul");
        requirePositive(tokens, "tokens", "matmul");
        requireBytes(xHalf, halfBytes(tokens, cols), "X f16", "matmul");
        requireBytes(y, (long) tokens * rows * Float.BYTES, "Y", "matmul");
        int tileTokens = tileTokens(rows, tokens);
        boolean whole = type.wholeUnits(cols);
        CudaKernel kernel = (tileTokens == TILE_TOKENS ? (whole ? large : largeAnyWidth) : (whole ? small : smallAnyWidth))
                .get(type);
        kernel.launch(Dim3.of(ceilDiv(rows, TILE_ROWS), ceilDiv(tokens, tileTokens)), Dim3.of(THREADS),
                sharedBytes(tileTokens), stream, KernelArgs.of().pointer(w, wOffset).i64(type.rowBytes(cols))
                        .pointer(xHalf).pointer(y)
                        .i32(rows).i32(cols).i32(tokens));
    }

    @Override
    public void close() {
        module.close();
    }
}
