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

/** On-device argmax ({@code argmax.cu}): the index of the largest of n float32 (lowest on ties) as one int32. */
public final class ArgMax implements AutoCloseable {
    public static final int THREADS = 1024;

    private final CudaModule module;
    private final CudaKernel kernel;

    public ArgMax(Cuda cuda) {
        this.module = PtxModules.load(cuda, "argmax");
        this.kernel = module.kernel("argmax");
    }

    public void launch(DeviceBuffer x, int n, DeviceBuffer out, CudaStream stream) {
        requirePositive(n, "n", "argmax");
        requireBytes(x, (long) n * Float.BYTES, "x", "argmax");
        requireBytes(out, Integer.BYTES, "out", "argmax");
        kernel.launch(Dim3.of(1), Dim3.of(THREADS), 0, stream, KernelArgs.of().pointer(x).pointer(out).i32(n));
    }

    @Override
    public void close() {
        module.close();
    }
}
