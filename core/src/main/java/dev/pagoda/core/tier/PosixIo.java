package dev.pagoda.core.tier;

import dev.pagoda.nvme.ffm.Libc;
import dev.pagoda.nvme.ffm.NativeCallException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The two libc calls storage reads need beyond nvme-ffm's {@code Libc}: a pread that may stop at
 * the end of the file (O_DIRECT reads are rounded up past it), and posix_fadvise. Handles are
 * resolved once.
 */
@SuppressWarnings("restricted")
final class PosixIo {
    /** open(2) flag: bypass the page cache (x86-64 and aarch64 Linux value). */
    static final int O_DIRECT = 0x4000;
    /** posix_fadvise advice: the pages will not be needed again. */
    static final int POSIX_FADV_DONTNEED = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle PREAD = LINKER.downcallHandle(
            LINKER.defaultLookup().find("pread").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle FADVISE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("posix_fadvise").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private PosixIo() {}

    /**
     * Reads into dst until it is full or the file ends; returns the bytes read.
     *
     * @throws NativeCallException naming {@code what} and the offset when pread fails
     */
    static long preadUntilEof(int fd, MemorySegment dst, long offset, String what) throws NativeCallException {
        long done = 0;
        MemorySegment capture = CAPTURE.get();
        while (done < dst.byteSize()) {
            long n;
            try {
                n = (long) PREAD.invokeExact(capture, fd, dst.asSlice(done), dst.byteSize() - done, offset + done);
            } catch (Throwable t) {
                throw new IllegalStateException("pread downcall failed", t);
            }
            if (n < 0) {
                throw new NativeCallException("pread", (int) ERRNO.get(capture, 0L), what + " at offset " + (offset + done)
                        + ", " + (dst.byteSize() - done) + " bytes into 0x" + Long.toHexString(dst.address() + done));
            }
            if (n == 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    /** posix_fadvise(2); it returns the error number itself rather than setting errno. */
    static void fadvise(int fd, long offset, long length, int advice, String what) throws NativeCallException {
        int rc;
        try {
            rc = (int) FADVISE.invokeExact(fd, offset, length, advice);
        } catch (Throwable t) {
            throw new IllegalStateException("posix_fadvise downcall failed", t);
        }
        if (rc != 0) {
            throw new NativeCallException("posix_fadvise", rc, what);
        }
    }

    /** open(2) read-only, with O_DIRECT when asked. */
    static int openReadOnly(String path, boolean direct) throws NativeCallException {
        return Libc.open(path, direct ? O_DIRECT : 0);
    }
}
