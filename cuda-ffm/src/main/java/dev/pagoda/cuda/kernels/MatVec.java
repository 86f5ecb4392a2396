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
import java.util.Map;

import static dev.pagoda.cuda.kernels.LaunchChecks.ceilDiv;
import static dev.pagoda.cuda.kernels.LaunchChecks.requireBytes;
import static dev.pagoda.cuda.kernels.LaunchChecks.requireWeights;

/**
 * Decode matrix-vector product fused with dequantization ({@code matvec.cu}): y[r] = sum_k W[r][k] x[k],
 * W rows x cols in a {@link WeightType}, x and y float32. Q4_K runs the super-block kernel
 * ({@code matvec_superblock.cuh}), whose warps may split a row's blocks ({@link #kSplit}) so that small
 * matrices still spread over every multiprocessor; the other formats run the 32-element unit kernel.
 */
public final class MatVec implements AutoCloseable {
    /** Warps per block; each warp takes one row at a time (matvec.cu MATVEC_WARPS). */
    public static final int WARPS = 8;
    public static final int THREADS = WARPS * 32;
    /** Blocks per multiprocessor the grid aims for; rows are strided over the grid. */
    public static final int BLOCKS_PER_SM = 4;

    private final CudaModule module;
    private final Map<WeightType, CudaKernel> kernels = new EnumMap<>(WeightType.class);
    private final int multiprocessors;
    private final int maxSharedBytes;

    public MatVec(Cuda cuda) {
        this.module = PtxModules.load(cuda, "matvec");
        this.multiprocessors = cuda.multiprocessorCount();
        this.maxSharedBytes = cuda.attribute(cuda_h.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN());
        for (WeightType type : WeightType.values()) {
            CudaKernel kernel = module.kernel("matvec_" + type.kernelSuffix());
            kernel.allowDynamicSharedMemory(maxSharedBytes);
            kernels.put(type, kernel);
        }
    }

    /** Rows one warp of the super-block kernel takes at a time (matvec_superblock.cuh MATVEC_SB_ROWS). */
    private static final int SUPERBLOCK_ROWS = 2;
    /** Blocks per multiprocessor for the super-block kernel (its launch bounds ask for 2). */
    private static final int SUPERBLOCK_BLOCKS_PER_SM = 2;

    /**
     * Shared memory one block needs, the larger of the two kernels': the unit kernel's x padded by 4
     * floats per 32 plus per-16 sums (q6_K), or the super-block kernel's x padded by 4 per 64 plus per-16
     * sums and partials.
     */
    public static int sharedBytes(int cols) {
        return Math.max(cols / 32 * 36 + cols / 16, cols + cols / 8 + WARPS * SUPERBLOCK_ROWS) * Float.BYTES;
    }

    /**
     * How many warps share one row group in the super-block kernel: doubled (up to all 8 warps) while the
     * grid would hold fewer blocks than two per multiprocessor and each warp still gets a whole step of
     * four 256-element blocks.
     */
    static int kSplit(int rows, int cols, int multiprocessors) {
        int blocksPerRow = cols / 256;
        int split = 1;
        while (split < WARPS && 4 * split * 2 <= blocksPerRow
                && ceilDiv(rows, (long) WARPS / split * SUPERBLOCK_ROWS) < 2L * multiprocessors) {
            split *= 2;
        }
        return split;
    }

    /** Queues y = W x on {@code stream}; W starts {@code wOffset} bytes into {@code w}. */
    public void launch(WeightType type, DeviceBuffer w, long wOffset, int rows, int cols, DeviceBuffer x, DeviceBuffer y,
                       CudaStream stream) {
        requireWeights(type, w, wOffset, rows, cols, "matvec");
        requireBytes(x, (long) cols * Float.BYTES, "x", "matvec");
        requireBytes(y, (long) rows * Float.BYTES, "y", "matvec");
        int shared = sharedBytes(cols);
        if (shared > maxSharedBytes) {
            throw new IllegalArgumentException("matvec: " + cols + " columns need " + shared
                    + " bytes of shared memory, the device allows " + maxSharedBytes);
        }
        KernelArgs args = KernelArgs.of().pointer(w, wOffset).i64(type.rowBytes(cols)).pointer(x).pointer(y).i32(rows)
                .i32(cols);
        if (type == WeightType.Q4_K) {
            int split = kSplit(rows, cols, multiprocessors);
            int blocksPerSm = Math.max(1, Math.min(SUPERBLOCK_BLOCKS_PER_SM, maxSharedBytes / (shared + 1024)));
            int grid = Math.min(ceilDiv(rows, (long) WARPS / split * SUPERBLOCK_ROWS), multiprocessors * blocksPerSm);
            kernels.get(type).launch(Dim3.of(grid), Dim3.of(THREADS), shared, stream, args.i32(split));
            return;
        }
        int blocksPerSm = Math.max(1, Math.min(BLOCKS_PER_SM, maxSharedBytes / (shared + 1024)));
        int grid = Math.min(ceilDiv(rows, WARPS), multiprocessors * blocksPerSm);
        kernels.get(type).launch(Dim3.of(grid), Dim3.of(THREADS), shared, stream, args);
    }

    @Override
    public void close() {
        module.close();
    }
}
