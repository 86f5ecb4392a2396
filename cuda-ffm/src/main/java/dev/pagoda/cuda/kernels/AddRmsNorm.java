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
 * Residual add and RMSNorm in one launch ({@code decode_fused.cu add_rmsnorm}): x += y, then
 * out = x / sqrt(mean(x^2) + eps) * weight, row by row; out may be y. The same float operations as
 * {@link Add} followed by {@link RmsNorm}. While {@code pagoda.cuda.normStaging} is on (the default; read when
 * created) the sum of squares goes in the order of the ring launches that norm their own x
 * ({@code add_rmsnorm_records}, norm_sum.cuh), so that both give the same bits; {@code -Dpagoda.cuda.normStaging=false}
 * keeps the strided order ({@code add_rmsnorm}).
 */
public final class AddRmsNorm implements AutoCloseable {
    private final CudaModule module;
    private final CudaKernel kernel;
    private final boolean records;

    public AddRmsNorm(Cuda cuda) {
        this.module = PtxModules.load(cuda, "decode_fused");
        // the record order where ring launches norm their own x too (norm_sum.cuh: the same bits both ways)
        this.records = FusedMatVec.normStaging();
        this.kernel = module.kernel(records ? "add_rmsnorm_records" : "add_rmsnorm");
    }

    public void launch(DeviceBuffer x, DeviceBuffer y, DeviceBuffer weight, DeviceBuffer out, int rows, int n, float eps,
                       CudaStream stream) {
        requirePositive(rows, "rows", "add_rmsnorm");
        requirePositive(n, "n", "add_rmsnorm");
        long bytes = (long) rows * n * Float.BYTES;
        requireBytes(x, bytes, "x", "add_rmsnorm");
        requireBytes(y, bytes, "y", "add_rmsnorm");
        requireBytes(weight, (long) n * Float.BYTES, "weight", "add_rmsnorm");
        requireBytes(out, bytes, "out", "add_rmsnorm");
        if (out == x) {
            throw new IllegalArgumentException("add_rmsnorm: out must not be x (x keeps the residual sum)");
        }
        kernel.launch(Dim3.of(rows), Dim3.of(RmsNorm.THREADS), RmsNorm.sharedBytes(records, n), stream,
                KernelArgs.of().pointer(x).pointer(y).pointer(weight).pointer(out).i32(n).f32(eps));
    }

    @Override
    public void close() {
        module.close();
    }
}
