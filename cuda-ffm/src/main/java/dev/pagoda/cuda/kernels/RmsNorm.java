package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaKernel;
import dev.pagoda.cuda.CudaModule;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.Dim3;
import dev.pagoda.cuda.KernelArgs;

import static dev.pagoda.cuda.kernels.LaunchChecks.requireBytes;
import static dev.pagoda.cuda.kernels.LaunchChecks.requirePositive;

/**
 * RMSNorm over each row ({@code rmsnorm.cu}): out = x / sqrt(mean(x^2) + eps) * weight. While
 * {@code pagoda.cuda.normStaging} is on (the default; read when created) the sum of squares in the ring launches'
 * order ({@code rmsnorm_records}), as {@link AddRmsNorm} says.
 */
public final class RmsNorm implements AutoCloseable {
    /** One block per row: a decode step norms one 4096-wide row, so the block is as wide as allowed (4 loads in flight per thread, not 16 in a row). */
    public static final int THREADS = 1024;

    /** norm_sum.cuh's NORM_MAX_RECORD_COLS: the widest row the record order takes (the most a ring launch norms). */
    static final int MAX_RECORD_COLS = 9216;

    private final CudaModule module;
    private final CudaKernel kernel;
    private final boolean records;

    public RmsNorm(Cuda cuda) {
        this.module = PtxModules.load(cuda, "rmsnorm");
        // the record order where ring launches norm their own x too (norm_sum.cuh: the same bits both ways)
        this.records = FusedMatVec.normStaging();
        this.kernel = module.kernel(records ? "rmsnorm_records" : "rmsnorm");
    }

    /**
     * Dynamic shared memory of a record-order norm launch ({@code records}) over rows of {@code n}: the row with one
     * float of padding per 32 (norm_sum.cuh norm_sum_via_shared), where n is a multiple of 32 up to 9216 (at most
     * 38,016 bytes, under the 48 KB any launch may take); none otherwise.
     */
    static int sharedBytes(boolean records, int n) {
        return records && n % 32 == 0 && n <= MAX_RECORD_COLS ? (n + n / 32) * Float.BYTES : 0;
    }

    public void launch(DeviceBuffer x, DeviceBuffer weight, DeviceBuffer out, int rows, int n, float eps, CudaStream stream) {
        requirePositive(rows, "rows", "rmsnorm");
        requirePositive(n, "n", "rmsnorm");
        requireBytes(x, (long) rows * n * Float.BYTES, "x", "rmsnorm");
        requireBytes(weight, (long) n * Float.BYTES, "weight", "rmsnorm");
        requireBytes(out, (long) rows * n * Float.BYTES, "out", "rmsnorm");
        kernel.launch(Dim3.of(rows), Dim3.of(THREADS), sharedBytes(records, n), stream,
                KernelArgs.of().pointer(x).pointer(weight).pointer(out).i32(n).f32(eps));
    }

    @Override
    public void close() {
        module.close();
    }
}
