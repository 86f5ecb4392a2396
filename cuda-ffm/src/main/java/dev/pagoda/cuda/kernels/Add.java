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

/** Residual add ({@code add.cu}): out = a + b over n float32; out may be a or b. */
public final class Add implements AutoCloseable {
    private final CudaModule module;
    private final CudaKernel kernel;
    private final ElementwiseGrid grid;

    public Add(Cuda cuda) {
        this.module = PtxModules.load(cuda, "add");
        this.kernel = module.kernel("add");
        this.grid = new ElementwiseGrid(cuda.multiprocessorCount());
    }

    public void launch(DeviceBuffer a, DeviceBuffer b, DeviceBuffer out, long n, CudaStream stream) {
        requirePositive(n, "n", "add");
        requireBytes(a, n * Float.BYTES, "a", "add");
        requireBytes(b, n * Float.BYTES, "b", "add");
        requireBytes(out, n * Float.BYTES, "out", "add");
        kernel.launch(grid.grid(n), Dim3.of(ElementwiseGrid.THREADS), 0, stream,
                KernelArgs.of().pointer(a).pointer(b).pointer(out).i64(n));
    }

    @Override
    public void close() {
        module.close();
    }
}
