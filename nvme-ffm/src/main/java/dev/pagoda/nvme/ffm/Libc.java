package dev.pagoda.nvme.ffm;

import dev.pagoda.nvme.ffm.raw.libc_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Checked libc calls: each returns its result or throws {@link NativeCallException}. */
public final class Libc {
    private Libc() {}

    private static final ThreadLocal<MemorySegment> CAPTURE = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(libc_h.CAPTURE_STATE_LAYOUT));

    private static MemorySegment capture() {
        return CAPTURE.get();
    }

    private static int errno(MemorySegment capture) {
        return (int) libc_h.ERRNO_HANDLE.get(capture, 0L);
    }

    /** The C library's message for an errno value. */
    public static String describe(int errno) {
        try {
            MemorySegment message = (MemorySegment) libc_h.strerror$MH.invokeExact(errno);
            return message.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "no message";
        }
    }

    /** open(2); returns the file descriptor. */
    public static int open(String path, int flags) throws NativeCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = capture();
            int fd = (int) libc_h.open$MH.invokeExact(c, arena.allocateFrom(path), flags | libc_h.O_CLOEXEC, 0);
            if (fd < 0) {
                throw new NativeCallException("open", errno(c), path);
            }
            return fd;
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("open downcall failed", t);
        }
    }

    /** close(2). */
    public static void close(int fd) throws NativeCallException {
        MemorySegment c = capture();
        int rc;
        try {
            rc = (int) libc_h.close$MH.invokeExact(c, fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close downcall failed", t);
        }
        if (rc != 0) {
            throw new NativeCallException("close", errno(c), "fd " + fd);
        }
    }

    /** ioctl(2) with a pointer argument; returns the call's non-negative result. */
    public static int ioctl(int fd, long request, MemorySegment arg, String requestName) throws NativeCallException {
        MemorySegment c = capture();
        int rc;
        try {
            rc = (int) libc_h.ioctl_ptr$MH.invokeExact(c, fd, request, arg);
        } catch (Throwable t) {
            throw new IllegalStateException("ioctl downcall failed", t);
        }
        if (rc < 0) {
            throw new NativeCallException("ioctl(" + requestName + ")", errno(c), "fd " + fd);
        }
        return rc;
    }

    /** ioctl(2) with an integer argument; returns the call's non-negative result. */
    public static int ioctl(int fd, long request, long arg, String requestName) throws NativeCallException {
        MemorySegment c = capture();
        int rc;
        try {
            rc = (int) libc_h.ioctl_long$MH.invokeExact(c, fd, request, arg);
        } catch (Throwable t) {
            throw new IllegalStateException("ioctl downcall failed", t);
        }
        if (rc < 0) {
            throw new NativeCallException("ioctl(" + requestName + ")", errno(c), "fd " + fd);
        }
        return rc;
    }

    /** mmap(2); returns the mapping as a segment of {@code length} bytes (unmapped by {@link #munmap}). */
    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset, String what)
            throws NativeCallException {
        MemorySegment c = capture();
        MemorySegment address;
        try {
            address = (MemorySegment) libc_h.mmap$MH.invokeExact(c, MemorySegment.NULL, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed", t);
        }
        if (address.address() == libc_h.MAP_FAILED) {
            throw new NativeCallException("mmap", errno(c), what + ", " + length + " bytes at offset " + offset);
        }
        return address.reinterpret(length);
    }

    /** munmap(2). */
    public static void munmap(MemorySegment mapping) throws NativeCallException {
        MemorySegment c = capture();
        int rc;
        try {
            rc = (int) libc_h.munmap$MH.invokeExact(c, mapping, mapping.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("munmap downcall failed", t);
        }
        if (rc != 0) {
            throw new NativeCallException("munmap", errno(c),
                    "0x" + Long.toHexString(mapping.address()) + ", " + mapping.byteSize() + " bytes");
        }
    }

    /** mlock(2): pins the pages so their physical addresses stay put. */
    public static void mlock(MemorySegment range) throws NativeCallException {
        MemorySegment c = capture();
        int rc;
        try {
            rc = (int) libc_h.mlock$MH.invokeExact(c, range, range.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("mlock downcall failed", t);
        }
        if (rc != 0) {
            throw new NativeCallException("mlock", errno(c),
                    "0x" + Long.toHexString(range.address()) + ", " + range.byteSize() + " bytes");
        }
    }

    /** pread(2) of exactly {@code dst.byteSize()} bytes; a short read is an error. */
    public static void preadFully(int fd, MemorySegment dst, long offset, String what) throws NativeCallException {
        long done = 0;
        while (done < dst.byteSize()) {
            MemorySegment c = capture();
            long n;
            try {
                n = (long) libc_h.pread$MH.invokeExact(c, fd, dst.asSlice(done), dst.byteSize() - done, offset + done);
            } catch (Throwable t) {
                throw new IllegalStateException("pread downcall failed", t);
            }
            if (n < 0) {
                throw new NativeCallException("pread", errno(c), what + " at offset " + (offset + done));
            }
            if (n == 0) {
                throw new NativeCallException("pread", Errno.EIO.value,
                        what + ": end of file at offset " + (offset + done) + ", wanted " + dst.byteSize() + " bytes");
            }
            done += n;
        }
    }

    /** pwrite(2) of exactly {@code src.byteSize()} bytes; used only for PCI configuration space. */
    public static void pwriteFully(int fd, MemorySegment src, long offset, String what) throws NativeCallException {
        MemorySegment c = capture();
        long n;
        try {
            n = (long) libc_h.pwrite$MH.invokeExact(c, fd, src, src.byteSize(), offset);
        } catch (Throwable t) {
            throw new IllegalStateException("pwrite downcall failed", t);
        }
        if (n != src.byteSize()) {
            throw new NativeCallException("pwrite", n < 0 ? errno(c) : Errno.EIO.value, what + " at offset " + offset);
        }
    }

    /** The system page size in bytes. */
    public static long pageSize() {
        try {
            return (long) libc_h.sysconf$MH.invokeExact(libc_h._SC_PAGESIZE);
        } catch (Throwable t) {
            throw new IllegalStateException("sysconf downcall failed", t);
        }
    }
}
