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

/** Row-wise softmax of [rows][n] float32 ({@code softmax.cu}); out may be x. */
public final class Softmax implements AutoCloseable {
    public static final int THREADS = 256;

    private final CudaModule module;
    private final CudaKernel kernel;

    public Softmax(Cuda cuda) {
        this.module = PtxModules.load(cuda, "softmax");
        this.kernel = module.kernel("softmax");
    }

    public void launch(DeviceBuffer x, DeviceBuffer out, int rows, int n, CudaStream stream) {
        requirePositive(rows, "rows", "softmax");
        requirePositive(n, "n", "softmax");
        requireBytes(x, (long) rows * n * Float.BYTES, "x", "softmax");
        requireBytes(out, (long) rows * n * Float.BYTES, "out", "softmax");
        kernel.launch(Dim3.of(rows), Dim3.of(THREADS), 0, stream, KernelArgs.of().pointer(x).pointer(out).i32(n));
    }

    @Override
    public void close() {
        module.close();
    }
}
