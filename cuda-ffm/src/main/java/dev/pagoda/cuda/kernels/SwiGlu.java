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
 * <p>{@link #launchBeforeRing} launches {@code swiglu_trigger_first}, which lets the next kernel in a stream with
 * programmatic launches start before its own wait: a down projection on the ring kernel after it then primes its
 * weights during gate/up's tail (its blocks would otherwise become resident only after SwiGLU's wait). Same results
 * bit for bit. Decode round 25 (docs/perf/NOTES.md): with the down projection's requests in flight capped at two
 * ({@link RingAhead}), 8B Q4_K_M decode 333 -> 343 tok/s on the H100. {@code -Dpagoda.cuda.swiGluTriggerFirst=false}
 * (read when the launcher is built) makes it launch the plain kernel. Not for a register-kernel successor, which has
 * nothing to fetch before its wait and only holds room the kernels before it need (round 11).
 */
public final class SwiGlu implements AutoCloseable {
    public static final String TRIGGER_FIRST_PROPERTY = "pagoda.cuda.swiGluTriggerFirst";

    private final CudaModule module;
    private final CudaKernel kernel;
    private final CudaKernel beforeRing;
    private final ElementwiseGrid grid;

    public SwiGlu(Cuda cuda) {
        this(cuda, !"false".equals(System.getProperty(TRIGGER_FIRST_PROPERTY)));
    }

    /** {@code triggerFirst} false: {@link #launchBeforeRing} launches the plain kernel too. */
    public SwiGlu(Cuda cuda, boolean triggerFirst) {
        this.module = PtxModules.load(cuda, "swiglu");
        this.kernel = module.kernel("swiglu");
        this.beforeRing = triggerFirst ? module.kernel("swiglu_trigger_first") : kernel;
        this.grid = new ElementwiseGrid(cuda.multiprocessorCount());
    }

    public void launch(DeviceBuffer gate, DeviceBuffer up, DeviceBuffer out, long n, CudaStream stream) {
        launch(kernel, gate, up, out, n, stream);
    }

    /** As {@link #launch}, where the next launch in the stream is a matvec on the ring kernel (MatVec.ringCovers). */
    public void launchBeforeRing(DeviceBuffer gate, DeviceBuffer up, DeviceBuffer out, long n, CudaStream stream) {
        launch(beforeRing, gate, up, out, n, stream);
    }

    private void launch(CudaKernel k, DeviceBuffer gate, DeviceBuffer up, DeviceBuffer out, long n, CudaStream stream) {
        requirePositive(n, "n", "swiglu");
        requireBytes(gate, n * Float.BYTES, "gate", "swiglu");
        requireBytes(up, n * Float.BYTES, "up", "swiglu");
        requireBytes(out, n * Float.BYTES, "out", "swiglu");
        k.launch(grid.grid(n), Dim3.of(ElementwiseGrid.THREADS), 0, stream,
                KernelArgs.of().pointer(gate).pointer(up).pointer(out).i64(n));
    }

    @Override
    public void close() {
        module.close();
    }
}
