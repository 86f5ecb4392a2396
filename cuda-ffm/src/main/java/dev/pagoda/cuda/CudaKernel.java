package dev.pagoda.cuda;

import dev.pagoda.cuda.raw.CUlaunchAttribute_st;
import dev.pagoda.cuda.raw.CUlaunchConfig_st;
import dev.pagoda.cuda.raw.cuda_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.pagoda.cuda.Check.check;

/** A kernel of a loaded {@link CudaModule}; valid while the module is open. */
public final class CudaKernel {
    private final Cuda cuda;
    private final String name;
    private final MemorySegment handle;
    private final boolean waitsForPredecessor;

    CudaKernel(Cuda cuda, String name, MemorySegment handle, boolean waitsForPredecessor) {
        this.cuda = cuda;
        this.name = name;
        this.handle = handle;
        this.waitsForPredecessor = waitsForPredecessor;
    }

    public String name() {
        return name;
    }

    /** A {@code CU_FUNC_ATTRIBUTE_*} value, e.g. registers per thread. */
    public int attribute(int cuFunctionAttribute) {
        cuda.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            check(cuda_h.cuFuncGetAttribute(out, cuFunctionAttribute, handle),
                    "cuFuncGetAttribute(" + name + ", " + cuFunctionAttribute + ")");
            return out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    public int registersPerThread() {
        return attribute(cuda_h.CU_FUNC_ATTRIBUTE_NUM_REGS());
    }

    /** Allows launches with more than 48 KiB of dynamic shared memory. */
    public void allowDynamicSharedMemory(int bytes) {
        cuda.makeCurrent();
        check(cuda_h.cuFuncSetAttribute(handle, cuda_h.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES(), bytes),
                "cuFuncSetAttribute(" + name + ", max dynamic shared memory " + bytes + ")");
    }

    /**
     * Queues one launch on {@code stream}: with programmatic stream serialization ({@code cuLaunchKernelEx})
     * when the stream allows it and this kernel waits for its predecessor, else by {@code cuLaunchKernel}.
     */
    public void launch(Dim3 grid, Dim3 block, int sharedMemoryBytes, CudaStream stream, KernelArgs args) {
        cuda.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = args.marshal(arena);
            if (waitsForPredecessor && stream.programmaticLaunches()) {
                launchProgrammatic(arena, grid, block, sharedMemoryBytes, stream, params);
                return;
            }
            check(cuda_h.cuLaunchKernel(handle, grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(),
                    sharedMemoryBytes, stream.unsafeHandle(), params, MemorySegment.NULL),
                    "cuLaunchKernel(" + name + ", grid " + grid + ", block " + block + ", shared " + sharedMemoryBytes + ")");
        }
    }

    private void launchProgrammatic(Arena arena, Dim3 grid, Dim3 block, int sharedMemoryBytes, CudaStream stream,
                                    MemorySegment params) {
        MemorySegment attribute = CUlaunchAttribute_st.allocate(arena);
        CUlaunchAttribute_st.id(attribute, cuda_h.CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION());
        CUlaunchAttribute_st.programmaticStreamSerializationAllowed(attribute, 1);
        MemorySegment config = CUlaunchConfig_st.allocate(arena);
        CUlaunchConfig_st.gridDimX(config, grid.x());
        CUlaunchConfig_st.gridDimY(config, grid.y());
        CUlaunchConfig_st.gridDimZ(config, grid.z());
        CUlaunchConfig_st.blockDimX(config, block.x());
        CUlaunchConfig_st.blockDimY(config, block.y());
        CUlaunchConfig_st.blockDimZ(config, block.z());
        CUlaunchConfig_st.sharedMemBytes(config, sharedMemoryBytes);
        CUlaunchConfig_st.hStream(config, stream.unsafeHandle());
        CUlaunchConfig_st.attrs(config, attribute);
        CUlaunchConfig_st.numAttrs(config, 1);
        check(cuda_h.cuLaunchKernelEx(config, handle, params, MemorySegment.NULL),
                "cuLaunchKernelEx(" + name + ", programmatic stream serialization, grid " + grid + ", block " + block
                        + ", shared " + sharedMemoryBytes + ")");
    }
}
