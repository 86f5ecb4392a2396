// Generated in jextract's shape from cuda-ffm/jextract/cuda_h.args (header /usr/local/cuda/include/cuda.h).
// Do not edit by hand: change the args file and regenerate. One deliberate difference from jextract's
// output: every layout in a function descriptor carries its C type as its name (withName), so that
// CudaHeaderConformanceTest can print the prototype and have gcc check it against cuda.h.
package dev.pagoda.cuda.raw;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

@SuppressWarnings({"restricted", "unused"})
public final class cuda_h {

    private cuda_h() {
        // Should not be called directly
    }

    /** The shared object bound here: the driver API only (never the runtime API's libcudart). */
    public static final String LIBRARY_NAME = "libcuda.so.1";

    static final Arena LIBRARY_ARENA = Arena.ofAuto();

    private static final LibraryLookup LIBRARY = LibraryLookup.open(LIBRARY_NAME, LIBRARY_ARENA);

    /**
     * Why the library could not be loaded, or empty when it was. jextract's own lookup throws at class
     * initialisation; ours defers the failure to the first call so that a machine without a driver can
     * still load these classes, read the descriptors and report why CUDA is unavailable.
     */
    public static Optional<String> libraryLoadFailure() {
        return LIBRARY.failure();
    }

    private record LibraryLookup(Optional<SymbolLookup> lookup, Optional<String> failure) {
        static LibraryLookup open(String name, Arena arena) {
            try {
                return new LibraryLookup(Optional.of(SymbolLookup.libraryLookup(name, arena)), Optional.empty());
            } catch (IllegalArgumentException e) {
                return new LibraryLookup(Optional.empty(), Optional.of(name + " could not be loaded: " + e.getMessage()));
            }
        }
    }

    static MethodHandle downcallHandle(String symbol, FunctionDescriptor desc) {
        Optional<MemorySegment> address = LIBRARY.lookup().flatMap(l -> l.find(symbol));
        if (address.isPresent()) {
            return Linker.nativeLinker().downcallHandle(address.get(), desc);
        }
        String why = LIBRARY.failure().orElse("symbol " + symbol + " not found in " + LIBRARY_NAME);
        MethodType type = desc.toMethodType();
        MethodHandle thrower = MethodHandles.throwException(type.returnType(), UnsatisfiedLinkError.class);
        MethodHandle bound = MethodHandles.insertArguments(thrower, 0, new UnsatisfiedLinkError(why));
        return MethodHandles.dropArguments(bound, 0, type.parameterList());
    }

    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, ValueLayout.JAVA_BYTE));


    private static final class cuGetErrorName {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("const char**")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuGetErrorName", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuGetErrorName(CUresult error, const char** pStr)
     * }
     */
    public static FunctionDescriptor cuGetErrorName$descriptor() {
        return cuGetErrorName.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuGetErrorName(CUresult error, const char** pStr)
     * }
     */
    public static MethodHandle cuGetErrorName$handle() {
        return cuGetErrorName.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuGetErrorName(CUresult error, const char** pStr)
     * }
     */
    public static int cuGetErrorName(int error, MemorySegment pStr) {
        var mh$ = cuGetErrorName.HANDLE;
        try {
            return (int) mh$.invokeExact(error, pStr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGetErrorString {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("const char**")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuGetErrorString", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuGetErrorString(CUresult error, const char** pStr)
     * }
     */
    public static FunctionDescriptor cuGetErrorString$descriptor() {
        return cuGetErrorString.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuGetErrorString(CUresult error, const char** pStr)
     * }
     */
    public static MethodHandle cuGetErrorString$handle() {
        return cuGetErrorString.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuGetErrorString(CUresult error, const char** pStr)
     * }
     */
    public static int cuGetErrorString(int error, MemorySegment pStr) {
        var mh$ = cuGetErrorString.HANDLE;
        try {
            return (int) mh$.invokeExact(error, pStr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuInit {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_INT.withName("unsigned int")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuInit", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuInit(unsigned int Flags)
     * }
     */
    public static FunctionDescriptor cuInit$descriptor() {
        return cuInit.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuInit(unsigned int Flags)
     * }
     */
    public static MethodHandle cuInit$handle() {
        return cuInit.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuInit(unsigned int Flags)
     * }
     */
    public static int cuInit(int Flags) {
        var mh$ = cuInit.HANDLE;
        try {
            return (int) mh$.invokeExact(Flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDriverGetVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("int*")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuDriverGetVersion", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDriverGetVersion(int* driverVersion)
     * }
     */
    public static FunctionDescriptor cuDriverGetVersion$descriptor() {
        return cuDriverGetVersion.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuDriverGetVersion(int* driverVersion)
     * }
     */
    public static MethodHandle cuDriverGetVersion$handle() {
        return cuDriverGetVersion.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDriverGetVersion(int* driverVersion)
     * }
     */
    public static int cuDriverGetVersion(MemorySegment driverVersion) {
        var mh$ = cuDriverGetVersion.HANDLE;
        try {
            return (int) mh$.invokeExact(driverVersion);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceGetCount {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("int*")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuDeviceGetCount", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDeviceGetCount(int* count)
     * }
     */
    public static FunctionDescriptor cuDeviceGetCount$descriptor() {
        return cuDeviceGetCount.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuDeviceGetCount(int* count)
     * }
     */
    public static MethodHandle cuDeviceGetCount$handle() {
        return cuDeviceGetCount.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDeviceGetCount(int* count)
     * }
     */
    public static int cuDeviceGetCount(MemorySegment count) {
        var mh$ = cuDeviceGetCount.HANDLE;
        try {
            return (int) mh$.invokeExact(count);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceGet {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUdevice*"),
            cuda_h.C_INT.withName("int")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuDeviceGet", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDeviceGet(CUdevice* device, int ordinal)
     * }
     */
    public static FunctionDescriptor cuDeviceGet$descriptor() {
        return cuDeviceGet.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuDeviceGet(CUdevice* device, int ordinal)
     * }
     */
    public static MethodHandle cuDeviceGet$handle() {
        return cuDeviceGet.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDeviceGet(CUdevice* device, int ordinal)
     * }
     */
    public static int cuDeviceGet(MemorySegment device, int ordinal) {
        var mh$ = cuDeviceGet.HANDLE;
        try {
            return (int) mh$.invokeExact(device, ordinal);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceGetName {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("char*"),
            cuda_h.C_INT.withName("int"),
            cuda_h.C_INT.withName("CUdevice")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuDeviceGetName", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDeviceGetName(char* name, int len, CUdevice dev)
     * }
     */
    public static FunctionDescriptor cuDeviceGetName$descriptor() {
        return cuDeviceGetName.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuDeviceGetName(char* name, int len, CUdevice dev)
     * }
     */
    public static MethodHandle cuDeviceGetName$handle() {
        return cuDeviceGetName.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDeviceGetName(char* name, int len, CUdevice dev)
     * }
     */
    public static int cuDeviceGetName(MemorySegment name, int len, int dev) {
        var mh$ = cuDeviceGetName.HANDLE;
        try {
            return (int) mh$.invokeExact(name, len, dev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceGetAttribute {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("int*"),
            cuda_h.C_INT.withName("CUdevice_attribute"),
            cuda_h.C_INT.withName("CUdevice")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuDeviceGetAttribute", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDeviceGetAttribute(int* pi, CUdevice_attribute attrib, CUdevice dev)
     * }
     */
    public static FunctionDescriptor cuDeviceGetAttribute$descriptor() {
        return cuDeviceGetAttribute.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuDeviceGetAttribute(int* pi, CUdevice_attribute attrib, CUdevice dev)
     * }
     */
    public static MethodHandle cuDeviceGetAttribute$handle() {
        return cuDeviceGetAttribute.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDeviceGetAttribute(int* pi, CUdevice_attribute attrib, CUdevice dev)
     * }
     */
    public static int cuDeviceGetAttribute(MemorySegment pi, int attrib, int dev) {
        var mh$ = cuDeviceGetAttribute.HANDLE;
        try {
            return (int) mh$.invokeExact(pi, attrib, dev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceTotalMem_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("size_t*"),
            cuda_h.C_INT.withName("CUdevice")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuDeviceTotalMem_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice dev)
     * }
     */
    public static FunctionDescriptor cuDeviceTotalMem_v2$descriptor() {
        return cuDeviceTotalMem_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice dev)
     * }
     */
    public static MethodHandle cuDeviceTotalMem_v2$handle() {
        return cuDeviceTotalMem_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice dev)
     * }
     */
    public static int cuDeviceTotalMem_v2(MemorySegment bytes, int dev) {
        var mh$ = cuDeviceTotalMem_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(bytes, dev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceGetUuid_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUuuid*"),
            cuda_h.C_INT.withName("CUdevice")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuDeviceGetUuid_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDeviceGetUuid_v2(CUuuid* uuid, CUdevice dev)
     * }
     */
    public static FunctionDescriptor cuDeviceGetUuid_v2$descriptor() {
        return cuDeviceGetUuid_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuDeviceGetUuid_v2(CUuuid* uuid, CUdevice dev)
     * }
     */
    public static MethodHandle cuDeviceGetUuid_v2$handle() {
        return cuDeviceGetUuid_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDeviceGetUuid_v2(CUuuid* uuid, CUdevice dev)
     * }
     */
    public static int cuDeviceGetUuid_v2(MemorySegment uuid, int dev) {
        var mh$ = cuDeviceGetUuid_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(uuid, dev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDevicePrimaryCtxRetain {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUcontext*"),
            cuda_h.C_INT.withName("CUdevice")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuDevicePrimaryCtxRetain", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRetain(CUcontext* pctx, CUdevice dev)
     * }
     */
    public static FunctionDescriptor cuDevicePrimaryCtxRetain$descriptor() {
        return cuDevicePrimaryCtxRetain.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRetain(CUcontext* pctx, CUdevice dev)
     * }
     */
    public static MethodHandle cuDevicePrimaryCtxRetain$handle() {
        return cuDevicePrimaryCtxRetain.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRetain(CUcontext* pctx, CUdevice dev)
     * }
     */
    public static int cuDevicePrimaryCtxRetain(MemorySegment pctx, int dev) {
        var mh$ = cuDevicePrimaryCtxRetain.HANDLE;
        try {
            return (int) mh$.invokeExact(pctx, dev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDevicePrimaryCtxRelease_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_INT.withName("CUdevice")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuDevicePrimaryCtxRelease_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev)
     * }
     */
    public static FunctionDescriptor cuDevicePrimaryCtxRelease_v2$descriptor() {
        return cuDevicePrimaryCtxRelease_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev)
     * }
     */
    public static MethodHandle cuDevicePrimaryCtxRelease_v2$handle() {
        return cuDevicePrimaryCtxRelease_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev)
     * }
     */
    public static int cuDevicePrimaryCtxRelease_v2(int dev) {
        var mh$ = cuDevicePrimaryCtxRelease_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuCtxSetCurrent {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUcontext")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuCtxSetCurrent", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuCtxSetCurrent(CUcontext ctx)
     * }
     */
    public static FunctionDescriptor cuCtxSetCurrent$descriptor() {
        return cuCtxSetCurrent.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuCtxSetCurrent(CUcontext ctx)
     * }
     */
    public static MethodHandle cuCtxSetCurrent$handle() {
        return cuCtxSetCurrent.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuCtxSetCurrent(CUcontext ctx)
     * }
     */
    public static int cuCtxSetCurrent(MemorySegment ctx) {
        var mh$ = cuCtxSetCurrent.HANDLE;
        try {
            return (int) mh$.invokeExact(ctx);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuCtxSynchronize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuCtxSynchronize", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuCtxSynchronize()
     * }
     */
    public static FunctionDescriptor cuCtxSynchronize$descriptor() {
        return cuCtxSynchronize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuCtxSynchronize()
     * }
     */
    public static MethodHandle cuCtxSynchronize$handle() {
        return cuCtxSynchronize.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuCtxSynchronize()
     * }
     */
    public static int cuCtxSynchronize() {
        var mh$ = cuCtxSynchronize.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemGetInfo_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("size_t*"),
            cuda_h.C_POINTER.withName("size_t*")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemGetInfo_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemGetInfo_v2(size_t* free, size_t* total)
     * }
     */
    public static FunctionDescriptor cuMemGetInfo_v2$descriptor() {
        return cuMemGetInfo_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemGetInfo_v2(size_t* free, size_t* total)
     * }
     */
    public static MethodHandle cuMemGetInfo_v2$handle() {
        return cuMemGetInfo_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemGetInfo_v2(size_t* free, size_t* total)
     * }
     */
    public static int cuMemGetInfo_v2(MemorySegment free, MemorySegment total) {
        var mh$ = cuMemGetInfo_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(free, total);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemAlloc_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUdeviceptr*"),
            cuda_h.C_LONG_LONG.withName("size_t")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemAlloc_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemAlloc_v2(CUdeviceptr* dptr, size_t bytesize)
     * }
     */
    public static FunctionDescriptor cuMemAlloc_v2$descriptor() {
        return cuMemAlloc_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemAlloc_v2(CUdeviceptr* dptr, size_t bytesize)
     * }
     */
    public static MethodHandle cuMemAlloc_v2$handle() {
        return cuMemAlloc_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemAlloc_v2(CUdeviceptr* dptr, size_t bytesize)
     * }
     */
    public static int cuMemAlloc_v2(MemorySegment dptr, long bytesize) {
        var mh$ = cuMemAlloc_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dptr, bytesize);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemFree_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_LONG_LONG.withName("CUdeviceptr")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemFree_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemFree_v2(CUdeviceptr dptr)
     * }
     */
    public static FunctionDescriptor cuMemFree_v2$descriptor() {
        return cuMemFree_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemFree_v2(CUdeviceptr dptr)
     * }
     */
    public static MethodHandle cuMemFree_v2$handle() {
        return cuMemFree_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemFree_v2(CUdeviceptr dptr)
     * }
     */
    public static int cuMemFree_v2(long dptr) {
        var mh$ = cuMemFree_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dptr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemHostAlloc {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("void**"),
            cuda_h.C_LONG_LONG.withName("size_t"),
            cuda_h.C_INT.withName("unsigned int")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemHostAlloc", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemHostAlloc(void** pp, size_t bytesize, unsigned int Flags)
     * }
     */
    public static FunctionDescriptor cuMemHostAlloc$descriptor() {
        return cuMemHostAlloc.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemHostAlloc(void** pp, size_t bytesize, unsigned int Flags)
     * }
     */
    public static MethodHandle cuMemHostAlloc$handle() {
        return cuMemHostAlloc.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemHostAlloc(void** pp, size_t bytesize, unsigned int Flags)
     * }
     */
    public static int cuMemHostAlloc(MemorySegment pp, long bytesize, int Flags) {
        var mh$ = cuMemHostAlloc.HANDLE;
        try {
            return (int) mh$.invokeExact(pp, bytesize, Flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemFreeHost {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("void*")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemFreeHost", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemFreeHost(void* p)
     * }
     */
    public static FunctionDescriptor cuMemFreeHost$descriptor() {
        return cuMemFreeHost.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemFreeHost(void* p)
     * }
     */
    public static MethodHandle cuMemFreeHost$handle() {
        return cuMemFreeHost.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemFreeHost(void* p)
     * }
     */
    public static int cuMemFreeHost(MemorySegment p) {
        var mh$ = cuMemFreeHost.HANDLE;
        try {
            return (int) mh$.invokeExact(p);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemHostRegister_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("void*"),
            cuda_h.C_LONG_LONG.withName("size_t"),
            cuda_h.C_INT.withName("unsigned int")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemHostRegister_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemHostRegister_v2(void* p, size_t bytesize, unsigned int Flags)
     * }
     */
    public static FunctionDescriptor cuMemHostRegister_v2$descriptor() {
        return cuMemHostRegister_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemHostRegister_v2(void* p, size_t bytesize, unsigned int Flags)
     * }
     */
    public static MethodHandle cuMemHostRegister_v2$handle() {
        return cuMemHostRegister_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemHostRegister_v2(void* p, size_t bytesize, unsigned int Flags)
     * }
     */
    public static int cuMemHostRegister_v2(MemorySegment p, long bytesize, int Flags) {
        var mh$ = cuMemHostRegister_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(p, bytesize, Flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemHostUnregister {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("void*")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemHostUnregister", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemHostUnregister(void* p)
     * }
     */
    public static FunctionDescriptor cuMemHostUnregister$descriptor() {
        return cuMemHostUnregister.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemHostUnregister(void* p)
     * }
     */
    public static MethodHandle cuMemHostUnregister$handle() {
        return cuMemHostUnregister.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemHostUnregister(void* p)
     * }
     */
    public static int cuMemHostUnregister(MemorySegment p) {
        var mh$ = cuMemHostUnregister.HANDLE;
        try {
            return (int) mh$.invokeExact(p);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyHtoD_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_LONG_LONG.withName("CUdeviceptr"),
            cuda_h.C_POINTER.withName("const void*"),
            cuda_h.C_LONG_LONG.withName("size_t")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemcpyHtoD_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void* srcHost, size_t ByteCount)
     * }
     */
    public static FunctionDescriptor cuMemcpyHtoD_v2$descriptor() {
        return cuMemcpyHtoD_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void* srcHost, size_t ByteCount)
     * }
     */
    public static MethodHandle cuMemcpyHtoD_v2$handle() {
        return cuMemcpyHtoD_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void* srcHost, size_t ByteCount)
     * }
     */
    public static int cuMemcpyHtoD_v2(long dstDevice, MemorySegment srcHost, long ByteCount) {
        var mh$ = cuMemcpyHtoD_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstDevice, srcHost, ByteCount);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyDtoH_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("void*"),
            cuda_h.C_LONG_LONG.withName("CUdeviceptr"),
            cuda_h.C_LONG_LONG.withName("size_t")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemcpyDtoH_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoH_v2(void* dstHost, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static FunctionDescriptor cuMemcpyDtoH_v2$descriptor() {
        return cuMemcpyDtoH_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoH_v2(void* dstHost, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static MethodHandle cuMemcpyDtoH_v2$handle() {
        return cuMemcpyDtoH_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoH_v2(void* dstHost, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static int cuMemcpyDtoH_v2(MemorySegment dstHost, long srcDevice, long ByteCount) {
        var mh$ = cuMemcpyDtoH_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstHost, srcDevice, ByteCount);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyDtoD_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_LONG_LONG.withName("CUdeviceptr"),
            cuda_h.C_LONG_LONG.withName("CUdeviceptr"),
            cuda_h.C_LONG_LONG.withName("size_t")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemcpyDtoD_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoD_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static FunctionDescriptor cuMemcpyDtoD_v2$descriptor() {
        return cuMemcpyDtoD_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoD_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static MethodHandle cuMemcpyDtoD_v2$handle() {
        return cuMemcpyDtoD_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoD_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static int cuMemcpyDtoD_v2(long dstDevice, long srcDevice, long ByteCount) {
        var mh$ = cuMemcpyDtoD_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstDevice, srcDevice, ByteCount);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyHtoDAsync_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_LONG_LONG.withName("CUdeviceptr"),
            cuda_h.C_POINTER.withName("const void*"),
            cuda_h.C_LONG_LONG.withName("size_t"),
            cuda_h.C_POINTER.withName("CUstream")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemcpyHtoDAsync_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void* srcHost, size_t ByteCount, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuMemcpyHtoDAsync_v2$descriptor() {
        return cuMemcpyHtoDAsync_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void* srcHost, size_t ByteCount, CUstream hStream)
     * }
     */
    public static MethodHandle cuMemcpyHtoDAsync_v2$handle() {
        return cuMemcpyHtoDAsync_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void* srcHost, size_t ByteCount, CUstream hStream)
     * }
     */
    public static int cuMemcpyHtoDAsync_v2(long dstDevice, MemorySegment srcHost, long ByteCount, MemorySegment hStream) {
        var mh$ = cuMemcpyHtoDAsync_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstDevice, srcHost, ByteCount, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyDtoHAsync_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("void*"),
            cuda_h.C_LONG_LONG.withName("CUdeviceptr"),
            cuda_h.C_LONG_LONG.withName("size_t"),
            cuda_h.C_POINTER.withName("CUstream")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemcpyDtoHAsync_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoHAsync_v2(void* dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuMemcpyDtoHAsync_v2$descriptor() {
        return cuMemcpyDtoHAsync_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoHAsync_v2(void* dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static MethodHandle cuMemcpyDtoHAsync_v2$handle() {
        return cuMemcpyDtoHAsync_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoHAsync_v2(void* dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static int cuMemcpyDtoHAsync_v2(MemorySegment dstHost, long srcDevice, long ByteCount, MemorySegment hStream) {
        var mh$ = cuMemcpyDtoHAsync_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstHost, srcDevice, ByteCount, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyDtoDAsync_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_LONG_LONG.withName("CUdeviceptr"),
            cuda_h.C_LONG_LONG.withName("CUdeviceptr"),
            cuda_h.C_LONG_LONG.withName("size_t"),
            cuda_h.C_POINTER.withName("CUstream")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemcpyDtoDAsync_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuMemcpyDtoDAsync_v2$descriptor() {
        return cuMemcpyDtoDAsync_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static MethodHandle cuMemcpyDtoDAsync_v2$handle() {
        return cuMemcpyDtoDAsync_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static int cuMemcpyDtoDAsync_v2(long dstDevice, long srcDevice, long ByteCount, MemorySegment hStream) {
        var mh$ = cuMemcpyDtoDAsync_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstDevice, srcDevice, ByteCount, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemsetD32_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_LONG_LONG.withName("CUdeviceptr"),
            cuda_h.C_INT.withName("unsigned int"),
            cuda_h.C_LONG_LONG.withName("size_t")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemsetD32_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemsetD32_v2(CUdeviceptr dstDevice, unsigned int ui, size_t N)
     * }
     */
    public static FunctionDescriptor cuMemsetD32_v2$descriptor() {
        return cuMemsetD32_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemsetD32_v2(CUdeviceptr dstDevice, unsigned int ui, size_t N)
     * }
     */
    public static MethodHandle cuMemsetD32_v2$handle() {
        return cuMemsetD32_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemsetD32_v2(CUdeviceptr dstDevice, unsigned int ui, size_t N)
     * }
     */
    public static int cuMemsetD32_v2(long dstDevice, int ui, long N) {
        var mh$ = cuMemsetD32_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstDevice, ui, N);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemsetD32Async {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_LONG_LONG.withName("CUdeviceptr"),
            cuda_h.C_INT.withName("unsigned int"),
            cuda_h.C_LONG_LONG.withName("size_t"),
            cuda_h.C_POINTER.withName("CUstream")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemsetD32Async", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemsetD32Async(CUdeviceptr dstDevice, unsigned int ui, size_t N, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuMemsetD32Async$descriptor() {
        return cuMemsetD32Async.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemsetD32Async(CUdeviceptr dstDevice, unsigned int ui, size_t N, CUstream hStream)
     * }
     */
    public static MethodHandle cuMemsetD32Async$handle() {
        return cuMemsetD32Async.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemsetD32Async(CUdeviceptr dstDevice, unsigned int ui, size_t N, CUstream hStream)
     * }
     */
    public static int cuMemsetD32Async(long dstDevice, int ui, long N, MemorySegment hStream) {
        var mh$ = cuMemsetD32Async.HANDLE;
        try {
            return (int) mh$.invokeExact(dstDevice, ui, N, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamCreate {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUstream*"),
            cuda_h.C_INT.withName("unsigned int")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuStreamCreate", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuStreamCreate(CUstream* phStream, unsigned int Flags)
     * }
     */
    public static FunctionDescriptor cuStreamCreate$descriptor() {
        return cuStreamCreate.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuStreamCreate(CUstream* phStream, unsigned int Flags)
     * }
     */
    public static MethodHandle cuStreamCreate$handle() {
        return cuStreamCreate.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuStreamCreate(CUstream* phStream, unsigned int Flags)
     * }
     */
    public static int cuStreamCreate(MemorySegment phStream, int Flags) {
        var mh$ = cuStreamCreate.HANDLE;
        try {
            return (int) mh$.invokeExact(phStream, Flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamDestroy_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUstream")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuStreamDestroy_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuStreamDestroy_v2(CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuStreamDestroy_v2$descriptor() {
        return cuStreamDestroy_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuStreamDestroy_v2(CUstream hStream)
     * }
     */
    public static MethodHandle cuStreamDestroy_v2$handle() {
        return cuStreamDestroy_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuStreamDestroy_v2(CUstream hStream)
     * }
     */
    public static int cuStreamDestroy_v2(MemorySegment hStream) {
        var mh$ = cuStreamDestroy_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamSynchronize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUstream")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuStreamSynchronize", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuStreamSynchronize(CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuStreamSynchronize$descriptor() {
        return cuStreamSynchronize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuStreamSynchronize(CUstream hStream)
     * }
     */
    public static MethodHandle cuStreamSynchronize$handle() {
        return cuStreamSynchronize.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuStreamSynchronize(CUstream hStream)
     * }
     */
    public static int cuStreamSynchronize(MemorySegment hStream) {
        var mh$ = cuStreamSynchronize.HANDLE;
        try {
            return (int) mh$.invokeExact(hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventCreate {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUevent*"),
            cuda_h.C_INT.withName("unsigned int")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuEventCreate", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuEventCreate(CUevent* phEvent, unsigned int Flags)
     * }
     */
    public static FunctionDescriptor cuEventCreate$descriptor() {
        return cuEventCreate.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuEventCreate(CUevent* phEvent, unsigned int Flags)
     * }
     */
    public static MethodHandle cuEventCreate$handle() {
        return cuEventCreate.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuEventCreate(CUevent* phEvent, unsigned int Flags)
     * }
     */
    public static int cuEventCreate(MemorySegment phEvent, int Flags) {
        var mh$ = cuEventCreate.HANDLE;
        try {
            return (int) mh$.invokeExact(phEvent, Flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventDestroy_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUevent")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuEventDestroy_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuEventDestroy_v2(CUevent hEvent)
     * }
     */
    public static FunctionDescriptor cuEventDestroy_v2$descriptor() {
        return cuEventDestroy_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuEventDestroy_v2(CUevent hEvent)
     * }
     */
    public static MethodHandle cuEventDestroy_v2$handle() {
        return cuEventDestroy_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuEventDestroy_v2(CUevent hEvent)
     * }
     */
    public static int cuEventDestroy_v2(MemorySegment hEvent) {
        var mh$ = cuEventDestroy_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(hEvent);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventRecord {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUevent"),
            cuda_h.C_POINTER.withName("CUstream")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuEventRecord", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuEventRecord(CUevent hEvent, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuEventRecord$descriptor() {
        return cuEventRecord.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuEventRecord(CUevent hEvent, CUstream hStream)
     * }
     */
    public static MethodHandle cuEventRecord$handle() {
        return cuEventRecord.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuEventRecord(CUevent hEvent, CUstream hStream)
     * }
     */
    public static int cuEventRecord(MemorySegment hEvent, MemorySegment hStream) {
        var mh$ = cuEventRecord.HANDLE;
        try {
            return (int) mh$.invokeExact(hEvent, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventSynchronize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUevent")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuEventSynchronize", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuEventSynchronize(CUevent hEvent)
     * }
     */
    public static FunctionDescriptor cuEventSynchronize$descriptor() {
        return cuEventSynchronize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuEventSynchronize(CUevent hEvent)
     * }
     */
    public static MethodHandle cuEventSynchronize$handle() {
        return cuEventSynchronize.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuEventSynchronize(CUevent hEvent)
     * }
     */
    public static int cuEventSynchronize(MemorySegment hEvent) {
        var mh$ = cuEventSynchronize.HANDLE;
        try {
            return (int) mh$.invokeExact(hEvent);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventElapsedTime_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("float*"),
            cuda_h.C_POINTER.withName("CUevent"),
            cuda_h.C_POINTER.withName("CUevent")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuEventElapsedTime_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuEventElapsedTime_v2(float* pMilliseconds, CUevent hStart, CUevent hEnd)
     * }
     */
    public static FunctionDescriptor cuEventElapsedTime_v2$descriptor() {
        return cuEventElapsedTime_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuEventElapsedTime_v2(float* pMilliseconds, CUevent hStart, CUevent hEnd)
     * }
     */
    public static MethodHandle cuEventElapsedTime_v2$handle() {
        return cuEventElapsedTime_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuEventElapsedTime_v2(float* pMilliseconds, CUevent hStart, CUevent hEnd)
     * }
     */
    public static int cuEventElapsedTime_v2(MemorySegment pMilliseconds, MemorySegment hStart, MemorySegment hEnd) {
        var mh$ = cuEventElapsedTime_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(pMilliseconds, hStart, hEnd);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuModuleLoadDataEx {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUmodule*"),
            cuda_h.C_POINTER.withName("const void*"),
            cuda_h.C_INT.withName("unsigned int"),
            cuda_h.C_POINTER.withName("CUjit_option*"),
            cuda_h.C_POINTER.withName("void**")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuModuleLoadDataEx", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuModuleLoadDataEx(CUmodule* module, const void* image, unsigned int numOptions, CUjit_option* options, void** optionValues)
     * }
     */
    public static FunctionDescriptor cuModuleLoadDataEx$descriptor() {
        return cuModuleLoadDataEx.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuModuleLoadDataEx(CUmodule* module, const void* image, unsigned int numOptions, CUjit_option* options, void** optionValues)
     * }
     */
    public static MethodHandle cuModuleLoadDataEx$handle() {
        return cuModuleLoadDataEx.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuModuleLoadDataEx(CUmodule* module, const void* image, unsigned int numOptions, CUjit_option* options, void** optionValues)
     * }
     */
    public static int cuModuleLoadDataEx(MemorySegment module, MemorySegment image, int numOptions, MemorySegment options, MemorySegment optionValues) {
        var mh$ = cuModuleLoadDataEx.HANDLE;
        try {
            return (int) mh$.invokeExact(module, image, numOptions, options, optionValues);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuModuleUnload {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUmodule")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuModuleUnload", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuModuleUnload(CUmodule hmod)
     * }
     */
    public static FunctionDescriptor cuModuleUnload$descriptor() {
        return cuModuleUnload.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuModuleUnload(CUmodule hmod)
     * }
     */
    public static MethodHandle cuModuleUnload$handle() {
        return cuModuleUnload.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuModuleUnload(CUmodule hmod)
     * }
     */
    public static int cuModuleUnload(MemorySegment hmod) {
        var mh$ = cuModuleUnload.HANDLE;
        try {
            return (int) mh$.invokeExact(hmod);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuModuleGetFunction {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUfunction*"),
            cuda_h.C_POINTER.withName("CUmodule"),
            cuda_h.C_POINTER.withName("const char*")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuModuleGetFunction", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuModuleGetFunction(CUfunction* hfunc, CUmodule hmod, const char* name)
     * }
     */
    public static FunctionDescriptor cuModuleGetFunction$descriptor() {
        return cuModuleGetFunction.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuModuleGetFunction(CUfunction* hfunc, CUmodule hmod, const char* name)
     * }
     */
    public static MethodHandle cuModuleGetFunction$handle() {
        return cuModuleGetFunction.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuModuleGetFunction(CUfunction* hfunc, CUmodule hmod, const char* name)
     * }
     */
    public static int cuModuleGetFunction(MemorySegment hfunc, MemorySegment hmod, MemorySegment name) {
        var mh$ = cuModuleGetFunction.HANDLE;
        try {
            return (int) mh$.invokeExact(hfunc, hmod, name);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuFuncGetAttribute {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("int*"),
            cuda_h.C_INT.withName("CUfunction_attribute"),
            cuda_h.C_POINTER.withName("CUfunction")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuFuncGetAttribute", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuFuncGetAttribute(int* pi, CUfunction_attribute attrib, CUfunction hfunc)
     * }
     */
    public static FunctionDescriptor cuFuncGetAttribute$descriptor() {
        return cuFuncGetAttribute.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuFuncGetAttribute(int* pi, CUfunction_attribute attrib, CUfunction hfunc)
     * }
     */
    public static MethodHandle cuFuncGetAttribute$handle() {
        return cuFuncGetAttribute.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuFuncGetAttribute(int* pi, CUfunction_attribute attrib, CUfunction hfunc)
     * }
     */
    public static int cuFuncGetAttribute(MemorySegment pi, int attrib, MemorySegment hfunc) {
        var mh$ = cuFuncGetAttribute.HANDLE;
        try {
            return (int) mh$.invokeExact(pi, attrib, hfunc);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuFuncSetAttribute {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUfunction"),
            cuda_h.C_INT.withName("CUfunction_attribute"),
            cuda_h.C_INT.withName("int")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuFuncSetAttribute", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuFuncSetAttribute(CUfunction hfunc, CUfunction_attribute attrib, int value)
     * }
     */
    public static FunctionDescriptor cuFuncSetAttribute$descriptor() {
        return cuFuncSetAttribute.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuFuncSetAttribute(CUfunction hfunc, CUfunction_attribute attrib, int value)
     * }
     */
    public static MethodHandle cuFuncSetAttribute$handle() {
        return cuFuncSetAttribute.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuFuncSetAttribute(CUfunction hfunc, CUfunction_attribute attrib, int value)
     * }
     */
    public static int cuFuncSetAttribute(MemorySegment hfunc, int attrib, int value) {
        var mh$ = cuFuncSetAttribute.HANDLE;
        try {
            return (int) mh$.invokeExact(hfunc, attrib, value);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuLaunchKernel {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUfunction"),
            cuda_h.C_INT.withName("unsigned int"),
            cuda_h.C_INT.withName("unsigned int"),
            cuda_h.C_INT.withName("unsigned int"),
            cuda_h.C_INT.withName("unsigned int"),
            cuda_h.C_INT.withName("unsigned int"),
            cuda_h.C_INT.withName("unsigned int"),
            cuda_h.C_INT.withName("unsigned int"),
            cuda_h.C_POINTER.withName("CUstream"),
            cuda_h.C_POINTER.withName("void**"),
            cuda_h.C_POINTER.withName("void**")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuLaunchKernel", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ, unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void** kernelParams, void** extra)
     * }
     */
    public static FunctionDescriptor cuLaunchKernel$descriptor() {
        return cuLaunchKernel.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ, unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void** kernelParams, void** extra)
     * }
     */
    public static MethodHandle cuLaunchKernel$handle() {
        return cuLaunchKernel.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ, unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void** kernelParams, void** extra)
     * }
     */
    public static int cuLaunchKernel(MemorySegment f, int gridDimX, int gridDimY, int gridDimZ, int blockDimX, int blockDimY, int blockDimZ, int sharedMemBytes, MemorySegment hStream, MemorySegment kernelParams, MemorySegment extra) {
        var mh$ = cuLaunchKernel.HANDLE;
        try {
            return (int) mh$.invokeExact(f, gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ, sharedMemBytes, hStream, kernelParams, extra);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuLaunchKernelEx {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("const CUlaunchConfig*"),
            cuda_h.C_POINTER.withName("CUfunction"),
            cuda_h.C_POINTER.withName("void**"),
            cuda_h.C_POINTER.withName("void**")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuLaunchKernelEx", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuLaunchKernelEx(const CUlaunchConfig* config, CUfunction f, void** kernelParams, void** extra)
     * }
     */
    public static FunctionDescriptor cuLaunchKernelEx$descriptor() {
        return cuLaunchKernelEx.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuLaunchKernelEx(const CUlaunchConfig* config, CUfunction f, void** kernelParams, void** extra)
     * }
     */
    public static MethodHandle cuLaunchKernelEx$handle() {
        return cuLaunchKernelEx.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuLaunchKernelEx(const CUlaunchConfig* config, CUfunction f, void** kernelParams, void** extra)
     * }
     */
    public static int cuLaunchKernelEx(MemorySegment config, MemorySegment f, MemorySegment kernelParams, MemorySegment extra) {
        var mh$ = cuLaunchKernelEx.HANDLE;
        try {
            return (int) mh$.invokeExact(config, f, kernelParams, extra);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamBeginCapture_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUstream"),
            cuda_h.C_INT.withName("CUstreamCaptureMode")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuStreamBeginCapture_v2", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuStreamBeginCapture_v2(CUstream hStream, CUstreamCaptureMode mode)
     * }
     */
    public static FunctionDescriptor cuStreamBeginCapture_v2$descriptor() {
        return cuStreamBeginCapture_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuStreamBeginCapture_v2(CUstream hStream, CUstreamCaptureMode mode)
     * }
     */
    public static MethodHandle cuStreamBeginCapture_v2$handle() {
        return cuStreamBeginCapture_v2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuStreamBeginCapture_v2(CUstream hStream, CUstreamCaptureMode mode)
     * }
     */
    public static int cuStreamBeginCapture_v2(MemorySegment hStream, int mode) {
        var mh$ = cuStreamBeginCapture_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(hStream, mode);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamEndCapture {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUstream"),
            cuda_h.C_POINTER.withName("CUgraph*")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuStreamEndCapture", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuStreamEndCapture(CUstream hStream, CUgraph* phGraph)
     * }
     */
    public static FunctionDescriptor cuStreamEndCapture$descriptor() {
        return cuStreamEndCapture.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuStreamEndCapture(CUstream hStream, CUgraph* phGraph)
     * }
     */
    public static MethodHandle cuStreamEndCapture$handle() {
        return cuStreamEndCapture.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuStreamEndCapture(CUstream hStream, CUgraph* phGraph)
     * }
     */
    public static int cuStreamEndCapture(MemorySegment hStream, MemorySegment phGraph) {
        var mh$ = cuStreamEndCapture.HANDLE;
        try {
            return (int) mh$.invokeExact(hStream, phGraph);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphInstantiateWithFlags {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUgraphExec*"),
            cuda_h.C_POINTER.withName("CUgraph"),
            cuda_h.C_LONG_LONG.withName("unsigned long long")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuGraphInstantiateWithFlags", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuGraphInstantiateWithFlags(CUgraphExec* phGraphExec, CUgraph hGraph, unsigned long long flags)
     * }
     */
    public static FunctionDescriptor cuGraphInstantiateWithFlags$descriptor() {
        return cuGraphInstantiateWithFlags.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuGraphInstantiateWithFlags(CUgraphExec* phGraphExec, CUgraph hGraph, unsigned long long flags)
     * }
     */
    public static MethodHandle cuGraphInstantiateWithFlags$handle() {
        return cuGraphInstantiateWithFlags.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuGraphInstantiateWithFlags(CUgraphExec* phGraphExec, CUgraph hGraph, unsigned long long flags)
     * }
     */
    public static int cuGraphInstantiateWithFlags(MemorySegment phGraphExec, MemorySegment hGraph, long flags) {
        var mh$ = cuGraphInstantiateWithFlags.HANDLE;
        try {
            return (int) mh$.invokeExact(phGraphExec, hGraph, flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphLaunch {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUgraphExec"),
            cuda_h.C_POINTER.withName("CUstream")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuGraphLaunch", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuGraphLaunch(CUgraphExec hGraphExec, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuGraphLaunch$descriptor() {
        return cuGraphLaunch.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuGraphLaunch(CUgraphExec hGraphExec, CUstream hStream)
     * }
     */
    public static MethodHandle cuGraphLaunch$handle() {
        return cuGraphLaunch.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuGraphLaunch(CUgraphExec hGraphExec, CUstream hStream)
     * }
     */
    public static int cuGraphLaunch(MemorySegment hGraphExec, MemorySegment hStream) {
        var mh$ = cuGraphLaunch.HANDLE;
        try {
            return (int) mh$.invokeExact(hGraphExec, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphExecDestroy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUgraphExec")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuGraphExecDestroy", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuGraphExecDestroy(CUgraphExec hGraphExec)
     * }
     */
    public static FunctionDescriptor cuGraphExecDestroy$descriptor() {
        return cuGraphExecDestroy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuGraphExecDestroy(CUgraphExec hGraphExec)
     * }
     */
    public static MethodHandle cuGraphExecDestroy$handle() {
        return cuGraphExecDestroy.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuGraphExecDestroy(CUgraphExec hGraphExec)
     * }
     */
    public static int cuGraphExecDestroy(MemorySegment hGraphExec) {
        var mh$ = cuGraphExecDestroy.HANDLE;
        try {
            return (int) mh$.invokeExact(hGraphExec);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphDestroy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT.withName("CUresult"),
            cuda_h.C_POINTER.withName("CUgraph")
        );

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuGraphDestroy", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuGraphDestroy(CUgraph hGraph)
     * }
     */
    public static FunctionDescriptor cuGraphDestroy$descriptor() {
        return cuGraphDestroy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuGraphDestroy(CUgraph hGraph)
     * }
     */
    public static MethodHandle cuGraphDestroy$handle() {
        return cuGraphDestroy.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuGraphDestroy(CUgraph hGraph)
     * }
     */
    public static int cuGraphDestroy(MemorySegment hGraph) {
        var mh$ = cuGraphDestroy.HANDLE;
        try {
            return (int) mh$.invokeExact(hGraph);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final int CUDA_SUCCESS = (int) 0L;

    /**
     * {@snippet lang=c :
     * enum CUresult.CUDA_SUCCESS = 0
     * }
     */
    public static int CUDA_SUCCESS() {
        return CUDA_SUCCESS;
    }

    private static final int CUDA_ERROR_INVALID_VALUE = (int) 1L;

    /**
     * {@snippet lang=c :
     * enum CUresult.CUDA_ERROR_INVALID_VALUE = 1
     * }
     */
    public static int CUDA_ERROR_INVALID_VALUE() {
        return CUDA_ERROR_INVALID_VALUE;
    }

    private static final int CUDA_ERROR_OUT_OF_MEMORY = (int) 2L;

    /**
     * {@snippet lang=c :
     * enum CUresult.CUDA_ERROR_OUT_OF_MEMORY = 2
     * }
     */
    public static int CUDA_ERROR_OUT_OF_MEMORY() {
        return CUDA_ERROR_OUT_OF_MEMORY;
    }

    private static final int CUDA_ERROR_NOT_INITIALIZED = (int) 3L;

    /**
     * {@snippet lang=c :
     * enum CUresult.CUDA_ERROR_NOT_INITIALIZED = 3
     * }
     */
    public static int CUDA_ERROR_NOT_INITIALIZED() {
        return CUDA_ERROR_NOT_INITIALIZED;
    }

    private static final int CUDA_ERROR_NO_DEVICE = (int) 100L;

    /**
     * {@snippet lang=c :
     * enum CUresult.CUDA_ERROR_NO_DEVICE = 100
     * }
     */
    public static int CUDA_ERROR_NO_DEVICE() {
        return CUDA_ERROR_NO_DEVICE;
    }

    private static final int CUDA_ERROR_NOT_READY = (int) 600L;

    /**
     * {@snippet lang=c :
     * enum CUresult.CUDA_ERROR_NOT_READY = 600
     * }
     */
    public static int CUDA_ERROR_NOT_READY() {
        return CUDA_ERROR_NOT_READY;
    }

    private static final int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = (int) 16L;

    /**
     * {@snippet lang=c :
     * enum CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16
     * }
     */
    public static int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT() {
        return CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;
    }

    private static final int CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE = (int) 38L;

    /**
     * {@snippet lang=c :
     * enum CUdevice_attribute.CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE = 38
     * }
     */
    public static int CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE() {
        return CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE;
    }

    private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = (int) 75L;

    /**
     * {@snippet lang=c :
     * enum CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75
     * }
     */
    public static int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR() {
        return CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
    }

    private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = (int) 76L;

    /**
     * {@snippet lang=c :
     * enum CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76
     * }
     */
    public static int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR() {
        return CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
    }

    private static final int CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = (int) 97L;

    /**
     * {@snippet lang=c :
     * enum CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97
     * }
     */
    public static int CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN() {
        return CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN;
    }

    private static final int CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES = (int) 3L;

    /**
     * {@snippet lang=c :
     * enum CUfunction_attribute.CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES = 3
     * }
     */
    public static int CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES() {
        return CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES;
    }

    private static final int CU_FUNC_ATTRIBUTE_NUM_REGS = (int) 4L;

    /**
     * {@snippet lang=c :
     * enum CUfunction_attribute.CU_FUNC_ATTRIBUTE_NUM_REGS = 4
     * }
     */
    public static int CU_FUNC_ATTRIBUTE_NUM_REGS() {
        return CU_FUNC_ATTRIBUTE_NUM_REGS;
    }

    private static final int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = (int) 8L;

    /**
     * {@snippet lang=c :
     * enum CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8
     * }
     */
    public static int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES() {
        return CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES;
    }

    private static final int CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION = (int) 6L;

    /**
     * {@snippet lang=c :
     * enum CUlaunchAttributeID_enum.CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION = 6
     * }
     */
    public static int CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION() {
        return CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION;
    }

    private static final int CU_JIT_INFO_LOG_BUFFER = (int) 3L;

    /**
     * {@snippet lang=c :
     * enum CUjit_option.CU_JIT_INFO_LOG_BUFFER = 3
     * }
     */
    public static int CU_JIT_INFO_LOG_BUFFER() {
        return CU_JIT_INFO_LOG_BUFFER;
    }

    private static final int CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES = (int) 4L;

    /**
     * {@snippet lang=c :
     * enum CUjit_option.CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4
     * }
     */
    public static int CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES() {
        return CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES;
    }

    private static final int CU_JIT_ERROR_LOG_BUFFER = (int) 5L;

    /**
     * {@snippet lang=c :
     * enum CUjit_option.CU_JIT_ERROR_LOG_BUFFER = 5
     * }
     */
    public static int CU_JIT_ERROR_LOG_BUFFER() {
        return CU_JIT_ERROR_LOG_BUFFER;
    }

    private static final int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = (int) 6L;

    /**
     * {@snippet lang=c :
     * enum CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6
     * }
     */
    public static int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES() {
        return CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES;
    }

    private static final int CU_JIT_LOG_VERBOSE = (int) 12L;

    /**
     * {@snippet lang=c :
     * enum CUjit_option.CU_JIT_LOG_VERBOSE = 12
     * }
     */
    public static int CU_JIT_LOG_VERBOSE() {
        return CU_JIT_LOG_VERBOSE;
    }

    private static final int CU_STREAM_DEFAULT = (int) 0L;

    /**
     * {@snippet lang=c :
     * enum CUstream_flags.CU_STREAM_DEFAULT = 0
     * }
     */
    public static int CU_STREAM_DEFAULT() {
        return CU_STREAM_DEFAULT;
    }

    private static final int CU_STREAM_NON_BLOCKING = (int) 1L;

    /**
     * {@snippet lang=c :
     * enum CUstream_flags.CU_STREAM_NON_BLOCKING = 1
     * }
     */
    public static int CU_STREAM_NON_BLOCKING() {
        return CU_STREAM_NON_BLOCKING;
    }

    private static final int CU_EVENT_DEFAULT = (int) 0L;

    /**
     * {@snippet lang=c :
     * enum CUevent_flags.CU_EVENT_DEFAULT = 0
     * }
     */
    public static int CU_EVENT_DEFAULT() {
        return CU_EVENT_DEFAULT;
    }

    private static final int CU_EVENT_BLOCKING_SYNC = (int) 1L;

    /**
     * {@snippet lang=c :
     * enum CUevent_flags.CU_EVENT_BLOCKING_SYNC = 1
     * }
     */
    public static int CU_EVENT_BLOCKING_SYNC() {
        return CU_EVENT_BLOCKING_SYNC;
    }

    private static final int CU_STREAM_CAPTURE_MODE_GLOBAL = (int) 0L;

    /**
     * {@snippet lang=c :
     * enum CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_GLOBAL = 0
     * }
     */
    public static int CU_STREAM_CAPTURE_MODE_GLOBAL() {
        return CU_STREAM_CAPTURE_MODE_GLOBAL;
    }

    private static final int CU_STREAM_CAPTURE_MODE_THREAD_LOCAL = (int) 1L;

    /**
     * {@snippet lang=c :
     * enum CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL = 1
     * }
     */
    public static int CU_STREAM_CAPTURE_MODE_THREAD_LOCAL() {
        return CU_STREAM_CAPTURE_MODE_THREAD_LOCAL;
    }

    private static final int CU_MEMHOSTALLOC_PORTABLE = (int) 1L;

    /**
     * {@snippet lang=c :
     * #define CU_MEMHOSTALLOC_PORTABLE 1
     * }
     */
    public static int CU_MEMHOSTALLOC_PORTABLE() {
        return CU_MEMHOSTALLOC_PORTABLE;
    }

    private static final int CU_MEMHOSTREGISTER_PORTABLE = (int) 1L;

    /**
     * {@snippet lang=c :
     * #define CU_MEMHOSTREGISTER_PORTABLE 1
     * }
     */
    public static int CU_MEMHOSTREGISTER_PORTABLE() {
        return CU_MEMHOSTREGISTER_PORTABLE;
    }
}
