package dev.pagoda.cuda;

import dev.pagoda.cuda.raw.cuda_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import static dev.pagoda.cuda.Check.check;

/**
 * One CUDA device and its retained primary context: the entry point of the checked layer.
 *
 * <p>The JVM runs work on whatever thread it likes, and a CUDA context is current per thread, so every
 * public method of this class and of the objects it creates makes the context current on the calling
 * thread first ({@code cuCtxSetCurrent} costs tens of nanoseconds). Objects are safe to hand between
 * threads; a stream orders the work submitted to it.
 *
 * <p>Close every object it created (buffers, streams, modules …) before closing it; closing releases
 * the primary context once.
 */
public final class Cuda implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Cuda.class.getName());

    private final int ordinal;
    private final int device;
    private final MemorySegment context;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Cuda(int ordinal, int device, MemorySegment context, String name) {
        this.ordinal = ordinal;
        this.device = device;
        this.context = context;
        this.name = name;
    }

    /** Opens device 0, or returns empty (and logs why at INFO) when CUDA cannot be used here. */
    public static Optional<Cuda> tryOpen() {
        try {
            return Optional.of(open(0));
        } catch (CudaUnavailableException e) {
            LOG.info(() -> "CUDA unavailable: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Opens device 0. */
    public static Cuda open() {
        return open(0);
    }

    /**
     * Opens the device with this ordinal and retains its primary context.
     *
     * @throws CudaUnavailableException when the driver library is missing, {@code cuInit} fails or
     *     there is no such device
     */
    public static Cuda open(int ordinal) {
        Optional<String> loadFailure = cuda_h.libraryLoadFailure();
        if (loadFailure.isPresent()) {
            throw new CudaUnavailableException("CUDA driver library not found: " + loadFailure.get());
        }
        int rc = cuda_h.cuInit(0);
        if (rc != cuda_h.CUDA_SUCCESS()) {
            throw new CudaUnavailableException("cuInit(0) failed: " + Check.resultName(rc) + " ("
                    + Check.resultDescription(rc) + ")");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            check(cuda_h.cuDeviceGetCount(count), "cuDeviceGetCount");
            int n = count.get(ValueLayout.JAVA_INT, 0);
            if (n == 0) {
                throw new CudaUnavailableException("no CUDA device: cuDeviceGetCount returned 0");
            }
            if (ordinal < 0 || ordinal >= n) {
                throw new CudaUnavailableException("no CUDA device " + ordinal + ": this machine has " + n);
            }
            MemorySegment dev = arena.allocate(ValueLayout.JAVA_INT);
            check(cuda_h.cuDeviceGet(dev, ordinal), "cuDeviceGet(" + ordinal + ")");
            int device = dev.get(ValueLayout.JAVA_INT, 0);
            MemorySegment nameBuf = arena.allocate(256);
            check(cuda_h.cuDeviceGetName(nameBuf, 256, device), "cuDeviceGetName");
            MemorySegment ctx = arena.allocate(ValueLayout.ADDRESS);
            check(cuda_h.cuDevicePrimaryCtxRetain(ctx, device), "cuDevicePrimaryCtxRetain(device " + ordinal + ")");
            Cuda cuda = new Cuda(ordinal, device, ctx.get(ValueLayout.ADDRESS, 0), nameBuf.getString(0));
            cuda.makeCurrent();
            return cuda;
        }
    }

    /** Makes this device's primary context current on the calling thread. */
    void makeCurrent() {
        if (closed.get()) {
            throw new IllegalStateException("CUDA device " + ordinal + " (" + name + ") is closed");
        }
        check(cuda_h.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /** The device's name as the driver reports it, e.g. "NVIDIA H100 80GB HBM3". */
    public String deviceName() {
        return name;
    }

    public int ordinal() {
        return ordinal;
    }

    /** A {@code CU_DEVICE_ATTRIBUTE_*} value of this device. */
    public int attribute(int cuDeviceAttribute) {
        makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            check(cuda_h.cuDeviceGetAttribute(out, cuDeviceAttribute, device),
                    "cuDeviceGetAttribute(" + cuDeviceAttribute + ")");
            return out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    public ComputeCapability computeCapability() {
        return new ComputeCapability(attribute(cuda_h.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR()),
                attribute(cuda_h.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR()));
    }

    public int multiprocessorCount() {
        return attribute(cuda_h.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT());
    }

    /** Driver version as the driver encodes it (1000 * major + 10 * minor, e.g. 13000). */
    public int driverVersion() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            check(cuda_h.cuDriverGetVersion(out), "cuDriverGetVersion");
            return out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Free and total device memory now. */
    public MemoryInfo memoryInfo() {
        makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment free = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment total = arena.allocate(ValueLayout.JAVA_LONG);
            check(cuda_h.cuMemGetInfo_v2(free, total), "cuMemGetInfo_v2");
            return new MemoryInfo(free.get(ValueLayout.JAVA_LONG, 0), total.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    /** Allocates device memory (not initialised). */
    public DeviceBuffer allocate(long byteSize) {
        return DeviceBuffer.allocate(this, byteSize);
    }

    /** Allocates page-locked host memory, usable by every context (CU_MEMHOSTALLOC_PORTABLE). */
    public PinnedHostBuffer allocatePinned(long byteSize) {
        return PinnedHostBuffer.allocate(this, byteSize);
    }

    /**
     * Page-locks an existing native segment (for example a memory-mapped file) so that copies from it
     * run at full speed; closing the registration unlocks it. The segment must stay alive meanwhile.
     */
    public HostRegistration register(MemorySegment hostSegment) {
        return HostRegistration.register(this, hostSegment);
    }

    /** A stream that does not synchronise with the legacy default stream. */
    public CudaStream createStream() {
        return CudaStream.create(this);
    }

    /** An event that records timing. */
    public CudaEvent createEvent() {
        return CudaEvent.create(this);
    }

    /**
     * Loads a PTX module, compiled by the driver for this device. On failure the exception carries
     * the JIT compiler's error and info logs.
     *
     * @param moduleName a name for messages (e.g. the resource it came from)
     */
    public CudaModule loadPtx(String moduleName, String ptx) {
        return CudaModule.load(this, moduleName, ptx, false);
    }

    /**
     * Loads a PTX module whose every kernel waits for the kernel before it in the stream
     * ({@code griddepcontrol.wait}, compute capability 9.0 and newer) before it touches memory an earlier
     * kernel wrote or may still read: such kernels may be launched early, overlapping their predecessor's
     * tail, on streams that allow it ({@link CudaStream#allowProgrammaticLaunches}). Loading a module that
     * does not wait this way with {@code waitsForPredecessor} true would let its kernels race.
     */
    public CudaModule loadPtx(String moduleName, String ptx, boolean waitsForPredecessor) {
        return CudaModule.load(this, moduleName, ptx, waitsForPredecessor);
    }

    /** Waits for all work on this device's context. */
    public void synchronize() {
        makeCurrent();
        check(cuda_h.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            check(cuda_h.cuDevicePrimaryCtxRelease_v2(device), "cuDevicePrimaryCtxRelease_v2(device " + ordinal + ")");
        }
    }

    @Override
    public String toString() {
        return "Cuda[" + ordinal + ": " + name + "]";
    }
}
