package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaKernel;
import dev.pagoda.cuda.CudaModule;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.Dim3;
import dev.pagoda.cuda.KernelArgs;

import static dev.pagoda.cuda.kernels.LaunchChecks.require16ByteAligned;
import static dev.pagoda.cuda.kernels.LaunchChecks.requireBytes;

/**
 * A {@link NormedX} norm written as a ring matvec's integer records of x ({@code norm_records.cu}), for a ring launch
 * that then copies them in one bulk request per block instead of norming x as it stages it: the same records and the
 * same sum x + add, bit for bit. Decode rounds 33 and 35 (docs/perf/NOTES.md): the normed launches' blocks each loaded
 * x, the addend and the norm's weights behind the stages they had primed. One block for the whole row, as
 * add_rmsnorm_records. Compute capability 9.0 and newer (the ring's); {@link RingMatVec} launches it for a
 * {@link NormedX} that names a records buffer.
 */
final class NormRecords implements AutoCloseable {
    /** Threads of the one block (norm_records.cu NORM_RECORDS_THREADS). */
    static final int THREADS = 1024;

    private final CudaModule module;
    private final CudaKernel kernel;
    private final MatVecInput input;

    NormRecords(Cuda cuda, MatVecInput input) {
        if (input == MatVecInput.FLOAT32) {
            throw new IllegalArgumentException("norm_records: float32 x has no records");
        }
        this.input = input;
        this.module = PtxModules.load(cuda, "norm_records");
        this.kernel = module.kernel(input == MatVecInput.INT8 ? "norm_records_x8" : "norm_records_x16");
        kernel.allowDynamicSharedMemory(sharedBytes(RmsNorm.MAX_RECORD_COLS));
    }

    /** Queues norm's records ({@code norm.records()}, not null) and sum for rows of {@code cols} columns. */
    void launch(NormedX norm, int cols, CudaStream stream) {
        String op = "norm_records";
        norm.check(cols, op);
        if (cols % 32 != 0 || cols > RmsNorm.MAX_RECORD_COLS) {
            throw new IllegalArgumentException(op + ": cols must be a multiple of 32 up to " + RmsNorm.MAX_RECORD_COLS
                    + " (norm_sum.cuh's record order), got " + cols);
        }
        DeviceBuffer records = norm.records();
        requireBytes(records, input.recordsBytes(cols), "records", op);
        require16ByteAligned(records, "records", op, "a ring launch bulk-copies them");
        kernel.launch(Dim3.of(1), Dim3.of(THREADS), sharedBytes(cols), stream,
                KernelArgs.of().pointer(norm.x()).pointerOrNull(norm.add()).pointer(norm.weight())
                        .pointer(norm.sum()).f32(norm.eps()).pointer(records).i32(cols));
    }

    // the norm's weights, then the row staged with one float of padding per 32 (norm_sum.cuh norm_skew)
    private static int sharedBytes(int cols) {
        return (cols + cols + cols / 32) * Float.BYTES;
    }

    @Override
    public void close() {
        module.close();
    }
}
