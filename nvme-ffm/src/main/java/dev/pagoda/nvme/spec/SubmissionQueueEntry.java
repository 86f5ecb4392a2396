package dev.pagoda.nvme.spec;

/** Submission queue entry: the common 64-byte command format (NVMe base specification, "Submission Queue Entry"). */
public final class SubmissionQueueEntry {
    private SubmissionQueueEntry() {}

    /** Size of one entry; CC.IOSQES is its base-two logarithm. */
    public static final int SIZE = 64;
    /** Base-two logarithm of {@link #SIZE}, written to CC.IOSQES. */
    public static final int SIZE_SHIFT = 6;

    /** Command Dword 0: opcode (byte 0). */
    public static final int CDW0_OPC = 0;
    /** Command Dword 0: fused operation and PRP/SGL select (byte 1). */
    public static final int CDW0_FLAGS = 1;
    /** Command Dword 0: Command Identifier (bytes 2-3). */
    public static final int CDW0_CID = 2;
    /** Namespace Identifier. */
    public static final int NSID = 4;
    /** Command Dword 2. */
    public static final int CDW2 = 8;
    /** Command Dword 3. */
    public static final int CDW3 = 12;
    /** Metadata Pointer. */
    public static final int MPTR = 16;
    /** Data Pointer: PRP Entry 1. */
    public static final int PRP1 = 24;
    /** Data Pointer: PRP Entry 2 (a second page, or a PRP list). */
    public static final int PRP2 = 32;
    /** Command Dword 10. */
    public static final int CDW10 = 40;
    /** Command Dword 11. */
    public static final int CDW11 = 44;
    /** Command Dword 12. */
    public static final int CDW12 = 48;
    /** Command Dword 13. */
    public static final int CDW13 = 52;
    /** Command Dword 14. */
    public static final int CDW14 = 56;
    /** Command Dword 15. */
    public static final int CDW15 = 60;

    /** CDW0 flags value: not fused, PRPs used for the data transfer (PSDT 00b). */
    public static final int FLAGS_PRP_NOT_FUSED = 0;
    /** Size of one PRP entry. */
    public static final int PRP_ENTRY_SIZE = 8;
}
