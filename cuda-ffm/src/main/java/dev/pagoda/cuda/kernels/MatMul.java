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
 * float32.
 *
 * <p>Two tilings of the same kernel: {@value #TILE_ROWS} rows x {@value #TILE_TOKENS} tokens per block
 * where that grid gives every multiprocessor at least one block (fewer dequantizations per flop), else
 * {@value #TILE_ROWS} x {@value #SMALL_TILE_TOKENS} (twice the blocks, so that e.g. a 4096-row matrix at
 * 512 tokens still occupies the whole device).
 */
public final class MatMul implements AutoCloseable {
    /** Weight rows per block tile (matmul.cu MATMUL_BM). */
    public static final int TILE_ROWS = 128;
    /** Tokens per block tile of the large tiling. */
    public static final int TILE_TOKENS = 128;
    /** Tokens per block tile of the small tiling ({@code matmul_<type>_n64}). */
    public static final int SMALL_TILE_TOKENS = 64;
    public static final int THREADS = 256;

    private final CudaModule module;
    private final int multiprocessors;
    private final Map<WeightType, CudaKernel> large = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> small = new EnumMap<>(WeightType.class);

    public MatMul(Cuda cuda) {
        this.module = PtxModules.load(cuda, "matmul");
        this.multiprocessors = cuda.multiprocessorCount();
        for (WeightType type : WeightType.values()) {
            large.put(type, module.kernel("matmul_" + type.kernelSuffix()));
            small.put(type, module.kernel("matmul_" + type.kernelSuffix() + "_n64"));
        }
    }

    /** Tokens per block tile that {@link #launch} uses for this shape on this device. */
    public int tileTokens(int rows, int tokens) {
        long largeBlocks = (long) ceilDiv(rows, TILE_ROWS) * ceilDiv(tokens, TILE_TOKENS);
        return largeBlocks >= multiprocessors ? TILE_TOKENS : SMALL_TILE_TOKENS;
    }

    /** Queues Y = X W^T on {@code stream}. */
    public void launch(WeightType type, DeviceBuffer w, long wOffset, int rows, int cols, DeviceBuffer x, int tokens,
                       DeviceBuffer y, CudaStream stream) {
        requireWeights(type, w, wOffset, rows, cols, "matmul");
        requirePositive(tokens, "tokens", "matmul");
        requireBytes(x, (long) tokens * cols * Float.BYTES, "X", "matmul");
        requireBytes(y, (long) tokens * rows * Float.BYTES, "Y", "matmul");
        int tileTokens = tileTokens(rows, tokens);
        CudaKernel kernel = (tileTokens == TILE_TOKENS ? large : small).get(type);
        kernel.launch(Dim3.of(ceilDiv(rows, TILE_ROWS), ceilDiv(tokens, tileTokens)), Dim3.of(THREADS), 0,
                stream, KernelArgs.of().pointer(w, wOffset).i64(type.rowBytes(cols)).pointer(x).pointer(y)
                        .i32(rows).i32(cols).i32(tokens));
    }

    @Override
    public void close() {
        module.close();
    }
}
