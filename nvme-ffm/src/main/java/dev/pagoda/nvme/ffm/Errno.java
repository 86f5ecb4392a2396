package dev.pagoda.nvme.ffm;

/** Names of the errno values the driver meets (asm-generic/errno-base.h and errno.h). */
public enum Errno {
    EPERM(1), ENOENT(2), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), EBADF(9), EAGAIN(11), ENOMEM(12),
    EACCES(13), EFAULT(14), EBUSY(16), EEXIST(17), ENODEV(19), ENOTDIR(20), EINVAL(22), ENOSPC(28),
    ENOTTY(25), ERANGE(34), ENOSYS(38), EOPNOTSUPP(95);

    /** The numeric value. */
    public final int value;

    Errno(int value) {
        this.value = value;
    }

    /** The name of an errno value, or "errno N" for one not listed. */
    public static String nameOf(int value) {
        for (Errno e : values()) {
            if (e.value == value) {
                return e.name();
            }
        }
        return "errno " + value;
    }
}
