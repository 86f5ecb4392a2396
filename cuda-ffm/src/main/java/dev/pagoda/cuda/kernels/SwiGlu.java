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
 * SwiGLU ({@code swiglu.cu}): out = silu(gate) * up, element-wise over n float32.
 *
 * <p>With {@code -Dpagoda.cuda.swiGluTriggerFirst=true} (read when the launcher is built) it launches
 * {@code swiglu_trigger_first}, which lets the next kernel in a stream with programmatic launches start
 * before its own wait: the down projection after it then primes its weights during gate/up's tail. Same
 * results bit for bit; an experiment of decode round 25 (docs/perf/NOTES.md), off until measured.
 */
public final class SwiGlu implements AutoCloseable {
    public static final String TRIGGER_FIRST_PROPERTY = "pagoda.cuda.swiGluTriggerFirst";

    private final CudaModule module;
    private final CudaKernel kernel;
    private final ElementwiseGrid grid;

    public SwiGlu(Cuda cuda) {
        this(cuda, Boolean.getBoolean(TRIGGER_FIRST_PROPERTY));
    }

    public SwiGlu(Cuda cuda, boolean triggerFirst) {
        this.module = PtxModules.load(cuda, "swiglu");
        this.kernel = module.kernel(triggerFirst ? "swiglu_trigger_first" : "swiglu");
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
