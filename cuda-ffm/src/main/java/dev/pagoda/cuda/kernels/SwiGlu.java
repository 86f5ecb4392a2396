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

/** SwiGLU ({@code swiglu.cu}): out = silu(gate) * up, element-wise over n float32. */
public final class SwiGlu implements AutoCloseable {
    private final CudaModule module;
    private final CudaKernel kernel;
    private final ElementwiseGrid grid;

    public SwiGlu(Cuda cuda) {
        this.module = PtxModules.load(cuda, "swiglu");
        this.kernel = module.kernel("swiglu");
        this.grid = new ElementwiseGrid(cuda.multiprocessorCount());
    }

    public void launch(DeviceBuffer gate, DeviceBuffer up, DeviceBuffer out, long n, CudaStream stream) {
        requirePositive(n, "n", "swiglu");
        requireBytes(gate, n * Float.BYTES, "gate", "swiglu");
        requireBytes(up, n * Float.BYTES, "up", "swiglu");
        requireBytes(out, n * Float.BYTES, "out", "swiglu");
        kernel.launch(grid.grid(n), Dim3.of(ElementwiseGrid.THREADS), 0, stream,
                KernelArgs.of().pointer(gate).pointer(up).pointer(out).i64(n));
    }

    @Override
    public void close() {
        module.close();
    }
}
