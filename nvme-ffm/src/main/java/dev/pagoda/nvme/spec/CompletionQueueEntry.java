package dev.pagoda.nvme.spec;

/** Completion queue entry: the common 16-byte format (NVMe base specification, "Completion Queue Entry"). */
public final class CompletionQueueEntry {
    private CompletionQueueEntry() {}

    /** Size of one entry; CC.IOCQES is its base-two logarithm. */
    public static final int SIZE = 16;
    /** Base-two logarithm of {@link #SIZE}, written to CC.IOCQES. */
    public static final int SIZE_SHIFT = 4;

    /** Dword 0: command specific. */
    public static final int DW0 = 0;
    /** Dword 1: command specific. */
    public static final int DW1 = 4;
    /** SQ Head Pointer (16-bit). */
    public static final int SQHD = 8;
    /** SQ Identifier (16-bit). */
    public static final int SQID = 10;
    /** Command Identifier (16-bit). */
    public static final int CID = 12;
    /** Phase Tag and Status field (16-bit). */
    public static final int STATUS = 14;

    /** Phase Tag: inverted by the controller on each pass through the queue. */
    public static final int STATUS_P_SHIFT = 0;
    public static final int STATUS_P_MASK = 0x1;
    /** Status Code. */
    public static final int STATUS_SC_SHIFT = 1;
    public static final int STATUS_SC_MASK = 0xFF;
    /** Status Code Type. */
    public static final int STATUS_SCT_SHIFT = 9;
    public static final int STATUS_SCT_MASK = 0x7;
    /** Command Retry Delay. */
    public static final int STATUS_CRD_SHIFT = 12;
    public static final int STATUS_CRD_MASK = 0x3;
    /** More: more status information in a log page. */
    public static final int STATUS_M_SHIFT = 14;
    public static final int STATUS_M_MASK = 0x1;
    /** Do Not Retry. */
    public static final int STATUS_DNR_SHIFT = 15;
    public static final int STATUS_DNR_MASK = 0x1;
}
