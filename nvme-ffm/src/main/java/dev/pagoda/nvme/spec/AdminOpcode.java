package dev.pagoda.nvme.spec;

/**
 * Admin command opcodes (NVMe base specification, "Admin Command Set"). Only the opcodes the
 * driver may issue are named here; none of them changes data on the medium.
 */
public final class AdminOpcode {
    private AdminOpcode() {}

    /** Delete I/O Submission Queue. */
    public static final int DELETE_IO_SQ = 0x00;
    /** Create I/O Submission Queue. */
    public static final int CREATE_IO_SQ = 0x01;
    /** Delete I/O Completion Queue. */
    public static final int DELETE_IO_CQ = 0x04;
    /** Create I/O Completion Queue. */
    public static final int CREATE_IO_CQ = 0x05;
    /** Identify. */
    public static final int IDENTIFY = 0x06;
}
