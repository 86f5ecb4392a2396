package dev.pagoda.nvme.ffm;

import java.io.IOException;

/** A libc call failed; carries the errno and names the call and what it was applied to. */
public final class NativeCallException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public NativeCallException(String call, int errno, String detail) {
        super(call + " failed: " + Errno.nameOf(errno) + " (" + Libc.describe(errno) + ")"
                + (detail.isEmpty() ? "" : ": " + detail));
        this.errno = errno;
    }

    /** The errno value the call left. */
    public int errno() {
        return errno;
    }
}
