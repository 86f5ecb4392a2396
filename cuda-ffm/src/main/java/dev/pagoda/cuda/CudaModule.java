package dev.pagoda.cuda;

import dev.pagoda.cuda.raw.cuda_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.pagoda.cuda.Check.check;

/** A module loaded from PTX with {@code cuModuleLoadDataEx}; the driver compiles it for the device. */
public final class CudaModule implements AutoCloseable {
    private static final int LOG_BYTES = 16 * 1024;

    private final Cuda cuda;
    private final String name;
    private final MemorySegment handle;
    private final String infoLog;
    private final boolean waitsForPredecessor;
    private boolean closed;

    private CudaModule(Cuda cuda, String name, MemorySegment handle, String infoLog, boolean waitsForPredecessor) {
        this.cuda = cuda;
        this.name = name;
        this.handle = handle;
        this.infoLog = infoLog;
        this.waitsForPredecessor = waitsForPredecessor;
    }

    static CudaModule load(Cuda cuda, String name, String ptx, boolean waitsForPredecessor) {
        cuda.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment image = arena.allocateFrom(ptx);
            MemorySegment errorLog = arena.allocate(LOG_BYTES);
            MemorySegment infoLog = arena.allocate(LOG_BYTES);
            int[] options = {
                cuda_h.CU_JIT_ERROR_LOG_BUFFER(), cuda_h.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES(),
                cuda_h.CU_JIT_INFO_LOG_BUFFER(), cuda_h.CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES(),
                cuda_h.CU_JIT_LOG_VERBOSE(),
            };
            MemorySegment optionKeys = arena.allocateFrom(ValueLayout.JAVA_INT, options);
            MemorySegment optionValues = arena.allocate(ValueLayout.ADDRESS, options.length);
            // Option values are passed in pointer-sized slots; sizes and flags go in by value.
            optionValues.setAtIndex(ValueLayout.ADDRESS, 0, errorLog);
            optionValues.setAtIndex(ValueLayout.JAVA_LONG, 1, LOG_BYTES);
            optionValues.setAtIndex(ValueLayout.ADDRESS, 2, infoLog);
            optionValues.setAtIndex(ValueLayout.JAVA_LONG, 3, LOG_BYTES);
            optionValues.setAtIndex(ValueLayout.JAVA_LONG, 4, 1);
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int rc = cuda_h.cuModuleLoadDataEx(out, image, options.length, optionKeys, optionValues);
            if (rc != cuda_h.CUDA_SUCCESS()) {
                throw Check.failure(rc, "cuModuleLoadDataEx(" + name + ")",
                        "JIT error log:\n" + errorLog.getString(0) + "\nJIT info log:\n" + infoLog.getString(0));
            }
            return new CudaModule(cuda, name, out.get(ValueLayout.ADDRESS, 0), infoLog.getString(0), waitsForPredecessor);
        }
    }

    public String name() {
        return name;
    }

    /** Whether its kernels wait for their predecessor and so may be launched early ({@link Cuda#loadPtx(String, String, boolean)}). */
    public boolean waitsForPredecessor() {
        return waitsForPredecessor;
    }

    /** What the JIT compiler reported while loading (registers, spills), for diagnostics. */
    public String jitInfoLog() {
        return infoLog;
    }

    /** Looks up a kernel by its (extern "C") name. */
    public CudaKernel kernel(String kernelName) {
        cuda.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            check(cuda_h.cuModuleGetFunction(out, live(), arena.allocateFrom(kernelName)),
                    "cuModuleGetFunction(" + name + ", " + kernelName + ")");
            return new CudaKernel(cuda, kernelName, out.get(ValueLayout.ADDRESS, 0), waitsForPredecessor);
        }
    }

    private MemorySegment live() {
        if (closed) {
            throw new IllegalStateException("module " + name + " is closed");
        }
        return handle;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cuda.makeCurrent();
            check(cuda_h.cuModuleUnload(handle), "cuModuleUnload(" + name + ")");
        }
    }
}
