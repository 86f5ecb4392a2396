package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaKernel;
import dev.pagoda.cuda.CudaModule;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.Dim3;
import dev.pagoda.cuda.KernelArgs;

import static dev.pagoda.cuda.kernels.LaunchChecks.ceilDiv;
import static dev.pagoda.cuda.kernels.LaunchChecks.require16ByteAligned;
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
 *
 * <p>{@link #launchRecords} writes silu(gate) * up as a ring matvec's integer records of x ({@code swiglu_records.cu}),
 * which the down projection then copies into its shared memory in one bulk request ({@link MatVec#launchFromRecords})
 * instead of every block loading and quantizing the floats: the same records bit for bit. Decode round 32
 * (docs/perf/NOTES.md: 8B Q4_K_M 342 -> 362 tok/s alone on the H100); the decode step does so by default,
 * {@code -Dpagoda.cuda.swiGluRecords=false} (read by the core's graph builder) keeps swiglu and the down staging x.
 */
public final class SwiGlu implements AutoCloseable {
    public static final String TRIGGER_FIRST_PROPERTY = "pagoda.cuda.swiGluTriggerFirst";
    /** The system property that, set to {@code false}, stops decode writing SwiGLU as the down projection's records ({@link #launchRecords}). */
    public static final String RECORDS_PROPERTY = "pagoda.cuda.swiGluRecords";
    private static final int RECORD_THREADS = 256;
    /** Threads per record of {@code swiglu_records} (x8_record_lanes.cuh X8_RECORD_LANES). */
    private static final int RECORD_LANES = 8;

    private final CudaModule module;
    private final CudaKernel kernel;
    private final CudaKernel beforeRing;
    private final CudaModule recordsModule;
    private final CudaKernel recordsX8;
    private final CudaKernel recordsX16;
    private final ElementwiseGrid grid;

    public SwiGlu(Cuda cuda) {
        this(cuda, !"false".equals(System.getProperty(TRIGGER_FIRST_PROPERTY)));
    }

    /** {@code triggerFirst} false: {@link #launchBeforeRing} launches the plain kernel too. */
    public SwiGlu(Cuda cuda, boolean triggerFirst) {
        this.module = PtxModules.load(cuda, "swiglu");
        this.kernel = module.kernel("swiglu");
        this.beforeRing = triggerFirst ? module.kernel("swiglu_trigger_first") : kernel;
        this.recordsModule = PtxModules.load(cuda, "swiglu_records");
        this.recordsX8 = recordsModule.kernel("swiglu_records_x8");
        this.recordsX16 = recordsModule.kernel("swiglu_records_x16");
        this.grid = new ElementwiseGrid(cuda.multiprocessorCount());
    }

    public void launch(DeviceBuffer gate, DeviceBuffer up, DeviceBuffer out, long n, CudaStream stream) {
        launch(kernel, gate, up, out, n, stream);
    }

    /** As {@link #launch}, where the next launch in the stream is a matvec on the ring kernel (MatVec.ringCovers). */
    public void launchBeforeRing(DeviceBuffer gate, DeviceBuffer up, DeviceBuffer out, long n, CudaStream stream) {
        launch(beforeRing, gate, up, out, n, stream);
    }

    /**
     * Queues silu(gate) * up over {@code n} float32 (a multiple of 32; gate and up 16-byte aligned) as the integer
     * records of x that {@code input} takes ({@link MatVecInput#recordBytes} per 32 values) into {@code records}: what
     * a ring matvec would stage from {@link #launch}'s output, bit for bit. Lets its successor launch first, as
     * {@link #launchBeforeRing}.
     */
    public void launchRecords(DeviceBuffer gate, DeviceBuffer up, DeviceBuffer records, int n, MatVecInput input,
                              CudaStream stream) {
        String op = "swiglu_records";
        requirePositive(n, "n", op);
        if (n % 32 != 0) {
            throw new IllegalArgumentException(op + ": n must be a multiple of 32 (one record per 32 values), got "
                    + n);
        }
        if (input == MatVecInput.FLOAT32) {
            throw new IllegalArgumentException(op + ": float32 x has no records");
        }
        requireBytes(gate, (long) n * Float.BYTES, "gate", op);
        requireBytes(up, (long) n * Float.BYTES, "up", op);
        requireBytes(records, input.recordsBytes(n), "records", op);
        require16ByteAligned(gate, "gate", op, "read 16 bytes at a time");
        require16ByteAligned(up, "up", op, "read 16 bytes at a time");
        require16ByteAligned(records, "records", op, "a ring launch bulk-copies them");
        long threads = (long) n / 32 * RECORD_LANES;
        CudaKernel k = input == MatVecInput.INT8 ? recordsX8 : recordsX16;
        k.launch(Dim3.of(ceilDiv(threads, RECORD_THREADS)), Dim3.of(RECORD_THREADS), 0, stream,
                KernelArgs.of().pointer(gate).pointer(up).pointer(records).i32(n));
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
        recordsModule.close();
        module.close();
    }
}
