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

import static dev.pagoda.cuda.kernels.LaunchChecks.require16ByteAligned;
import static dev.pagoda.cuda.kernels.LaunchChecks.requireBytes;
import static dev.pagoda.cuda.kernels.LaunchChecks.requireWeights;

/**
 * Decode matrix-vector product fused with dequantization ({@code matvec.cu}): y[r] = sum_k W[r][k] x[k],
 * W rows x cols in a {@link WeightType}, x and y float32. Q4_K runs the super-block kernel
 * ({@code matvec_superblock.cuh}), whose warps may split a row's blocks ({@link #kSplit}) so that small
 * matrices still spread over every multiprocessor; Q6_K runs its unit kernel with rows split over warps
 * where that balances the grid better ({@code matvec_q6k.cuh}, {@link MatVecShape#unitKSplit}); the other
 * formats run the 32-element unit kernel, and float rows whose width is not a multiple of 32 the
 * any-width kernel ({@code matvec_any_width.cuh}). Under {@link MatVecInput#INT8} or {@link MatVecInput#INT16}
 * the formats they cover run the integer-x kernels instead ({@code matvec_x8_<type>} / {@code matvec_x16_<type>}:
 * x quantized per 32 while it is staged, dp4a).
 */
public final class MatVec implements AutoCloseable {
    /** Warps per block; each warp takes one row at a time (matvec.cu MATVEC_WARPS). */
    public static final int WARPS = 8;
    public static final int THREADS = WARPS * 32;
    /** Blocks per multiprocessor the grid aims for; rows are strided over the grid. */
    public static final int BLOCKS_PER_SM = 4;

    private final CudaModule module;
    private final MatVecInput input;
    private final Map<WeightType, CudaKernel> kernels = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> anyWidth = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> int8 = new EnumMap<>(WeightType.class);
    private final int multiprocessors;
    private final int maxSharedBytes;
    private final Optional<RingMatVec> ring;

    /** Float32 x for every format ({@link MatVecInput#FLOAT32}). */
    public MatVec(Cuda cuda) {
        this(cuda, MatVecInput.FLOAT32);
    }

    /**
     * x as {@code input} says for the formats it covers, float32 for the others; q4_K and q6_K through the
     * bulk-copy ring kernel ({@link RingMatVec}) where the device has it and {@code -Dpagoda.cuda.matvecRing} is not false.
     */
    public MatVec(Cuda cuda, MatVecInput input) {
        this(cuda, input, true);
    }

    /** {@code ring} false keeps q4_K and q6_K on the register kernels (to compare the two). */
    MatVec(Cuda cuda, MatVecInput input, boolean ring) {
        this(cuda, input, ring, RingAhead.fromProperties());
    }

    /** As {@link #MatVec(Cuda, MatVecInput, boolean)}, the ring's requests in flight capped as {@code ahead} says. */
    MatVec(Cuda cuda, MatVecInput input, boolean ring, RingAhead ahead) {
        this.input = input;
        this.ring = ring ? RingMatVec.open(cuda, input, ahead) : Optional.empty();
        this.module = PtxModules.load(cuda, "matvec");
        this.multiprocessors = cuda.multiprocessorCount();
        this.maxSharedBytes = cuda.attribute(cuda_h.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN());
        for (WeightType type : WeightType.values()) {
            load(kernels, "matvec_", type);
            if (type.anyWidth()) {
                load(anyWidth, "matvec_any_", type);
            }
            if (input.quantizes(type)) {
                load(int8, "matvec_" + input.kernelInfix(), type);
            }
        }
    }

    // every kernel of the module may take up to the device's opt-in shared memory (x staged in it)
    private void load(Map<WeightType, CudaKernel> into, String prefix, WeightType type) {
        CudaKernel kernel = module.kernel(prefix + type.kernelSuffix());
        kernel.allowDynamicSharedMemory(maxSharedBytes);
        into.put(type, kernel);
    }

    /** Whether {@link #launch} runs {@code type} at {@code cols} columns and this offset on the ring kernel. */
    public boolean ringCovers(WeightType type, int cols, long offset) {
        return ring.isPresent() && ring.get().covers(type, cols, offset);
    }

    /** How this launcher takes x. */
    public MatVecInput input() {
        return input;
    }

    /** Shared memory one block needs for {@code cols} columns (either kernel). */
    public static int sharedBytes(int cols) {
        return MatVecShape.sharedBytes(cols);
    }

    /** How many warps share one row group in the q4_K super-block kernel ({@link MatVecShape#kSplit}). */
    static int kSplit(int rows, int cols, int multiprocessors) {
        return MatVecShape.kSplit(rows, cols, multiprocessors);
    }

    /** Queues y = W x on {@code stream}; W starts {@code wOffset} bytes into {@code w}. */
    public void launch(WeightType type, DeviceBuffer w, long wOffset, int rows, int cols, DeviceBuffer x, DeviceBuffer y,
                       CudaStream stream) {
        if (ring.isPresent() && ring.get().covers(type, cols, wOffset)) {
            check(type, w, wOffset, rows, cols, x, y);
            ring.get().launch(type, rows, cols, x, List.of(new FusedMatVec.Part(w, wOffset, rows, y)), stream);
            return;
        }
        launch(type, w, wOffset, rows, cols, x, y, stream, shape(type, rows, cols));
    }

    /**
     * Queues y = W x where x is given as its integer records ({@link SwiGlu#launchRecords} under this launcher's
     * {@link #input}), on the ring kernel, which must {@link #ringCovers cover} the matrix: each block copies the
     * records instead of staging x (decode round 32). The same products as {@link #launch} of the floats the records
     * were made from.
     */
    public void launchFromRecords(WeightType type, DeviceBuffer w, long wOffset, int rows, int cols,
                                  DeviceBuffer records, DeviceBuffer y, CudaStream stream) {
        if (!ringCovers(type, cols, wOffset)) {
            throw new IllegalArgumentException("matvec from records: " + type + " at " + cols
                    + " columns is not on the ring kernel (ringCovers)");
        }
        requireWeights(type, w, wOffset, rows, cols, "matvec from records");
        requireBytes(records, input.recordsBytes(cols), "records", "matvec from records");
        require16ByteAligned(records, "records", "matvec from records", "one bulk copy");
        requireBytes(y, (long) rows * Float.BYTES, "y", "matvec from records");
        ring.get().launchFromRecords(type, rows, cols, records, new FusedMatVec.Part(w, wOffset, rows, y), stream);
    }

    private static void check(WeightType type, DeviceBuffer w, long wOffset, int rows, int cols, DeviceBuffer x,
                              DeviceBuffer y) {
        requireWeights(type, w, wOffset, rows, cols, "matvec");
        requireBytes(x, (long) cols * Float.BYTES, "x", "matvec");
        requireBytes(y, (long) rows * Float.BYTES, "y", "matvec");
    }

    /** The grid, shared memory and k-split {@link #launch} uses for this matrix. */
    MatVecShape shape(WeightType type, int rows, int cols) {
        return MatVecShape.of(input, type, rows, cols, multiprocessors, maxSharedBytes, "matvec");
    }

    /** {@link #launch} with a given shape: MatVecShapeSweep times the alternatives to {@link #shape}'s choice. */
    void launch(WeightType type, DeviceBuffer w, long wOffset, int rows, int cols, DeviceBuffer x, DeviceBuffer y,
                CudaStream stream, MatVecShape shape) {
        check(type, w, wOffset, rows, cols, x, y);
        KernelArgs args = KernelArgs.of().pointer(w, wOffset).i64(type.rowBytes(cols)).pointer(x).pointer(y).i32(rows)
                .i32(cols);
        if (int8.containsKey(type)) {
            int8.get(type).launch(Dim3.of(shape.grid()), Dim3.of(THREADS), shape.sharedBytes(), stream,
                    args.i32(shape.kSplit()));
            return;
        }
        if (MatVecShape.takesKSplit(type)) {
            args.i32(shape.kSplit());
        }
        CudaKernel kernel = type.wholeUnits(cols) ? kernels.get(type) : anyWidth.get(type);
        kernel.launch(Dim3.of(shape.grid()), Dim3.of(THREADS), shape.sharedBytes(), stream, args);
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
