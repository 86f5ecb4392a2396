package dev.pagoda.nvme.ffm.raw;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * libc functions and constants (fcntl.h, unistd.h, sys/mman.h, sys/ioctl.h, string.h).
 * Every handle captures errno into a {@link #CAPTURE_STATE_LAYOUT} segment passed first.
 */
@SuppressWarnings({"restricted", "checkstyle:TypeName"})
public final class libc_h {
    private libc_h() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    /** Layout of the captured call state; read errno with {@link #ERRNO_HANDLE}. */
    public static final StructLayout CAPTURE_STATE_LAYOUT = Linker.Option.captureStateLayout();
    /** errno inside a captured call state segment: (MemorySegment, long offset) int. */
    public static final VarHandle ERRNO_HANDLE = CAPTURE_STATE_LAYOUT.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout C_POINTER = ValueLayout.ADDRESS;

    private static MethodHandle find(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** int open(const char *path, int flags, ...): mode passed as the first variadic int. */
    public static final MethodHandle open$MH = find("open",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT),
            ERRNO, Linker.Option.firstVariadicArg(2));
    /** int close(int fd). */
    public static final MethodHandle close$MH = find("close", FunctionDescriptor.of(C_INT, C_INT), ERRNO);
    /** int ioctl(int fd, unsigned long request, ...) with a pointer argument. */
    public static final MethodHandle ioctl_ptr$MH = find("ioctl",
            FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER),
            ERRNO, Linker.Option.firstVariadicArg(2));
    /** int ioctl(int fd, unsigned long request, ...) with an integer argument. */
    public static final MethodHandle ioctl_long$MH = find("ioctl",
            FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_LONG),
            ERRNO, Linker.Option.firstVariadicArg(2));
    /** void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset). */
    public static final MethodHandle mmap$MH = find("mmap",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_LONG, C_INT, C_INT, C_INT, C_LONG), ERRNO);
    /** int munmap(void *addr, size_t length). */
    public static final MethodHandle munmap$MH = find("munmap",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG), ERRNO);
    /** ssize_t pread(int fd, void *buf, size_t count, off_t offset). */
    public static final MethodHandle pread$MH = find("pread",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_LONG), ERRNO);
    /** ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset): PCI config space only. */
    public static final MethodHandle pwrite$MH = find("pwrite",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_LONG), ERRNO);
    /** int mlock(const void *addr, size_t len). */
    public static final MethodHandle mlock$MH = find("mlock",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG), ERRNO);
    /** long sysconf(int name). */
    public static final MethodHandle sysconf$MH = find("sysconf", FunctionDescriptor.of(C_LONG, C_INT));
    /** char *strerror(int errnum). */
    public static final MethodHandle strerror$MH = find("strerror", FunctionDescriptor.of(C_POINTER, C_INT));

    // fcntl.h
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;
    // sys/mman.h
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_LOCKED = 0x2000;
    public static final int MAP_POPULATE = 0x8000;
    public static final int MAP_HUGETLB = 0x40000;
    /** mmap's failure value, (void *) -1. */
    public static final long MAP_FAILED = -1L;
    // unistd.h
    public static final int _SC_PAGESIZE = 30;
}
