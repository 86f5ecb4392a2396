package dev.pagoda.nvme.spec;

/** Command dword fields of the admin queue commands and of Read. */
public final class QueueCommandFields {
    private QueueCommandFields() {}

    // Create I/O Completion / Submission Queue, CDW10
    /** Queue Identifier. */
    public static final int CDW10_QID_SHIFT = 0;
    public static final int CDW10_QID_MASK = 0xFFFF;
    /** Queue Size, 0's based. */
    public static final int CDW10_QSIZE_SHIFT = 16;
    public static final int CDW10_QSIZE_MASK = 0xFFFF;

    // Create I/O Completion Queue, CDW11
    /** Physically Contiguous. */
    public static final int CQ_CDW11_PC_SHIFT = 0;
    /** Interrupts Enabled. */
    public static final int CQ_CDW11_IEN_SHIFT = 1;
    /** Interrupt Vector. */
    public static final int CQ_CDW11_IV_SHIFT = 16;

    // Create I/O Submission Queue, CDW11
    /** Physically Contiguous. */
    public static final int SQ_CDW11_PC_SHIFT = 0;
    /** Queue Priority. */
    public static final int SQ_CDW11_QPRIO_SHIFT = 1;
    /** Completion Queue Identifier. */
    public static final int SQ_CDW11_CQID_SHIFT = 16;

    // Identify, CDW10
    /** Controller or Namespace Structure selector. */
    public static final int IDENTIFY_CDW10_CNS_SHIFT = 0;
    public static final int IDENTIFY_CDW10_CNS_MASK = 0xFF;
    /** CNS value: Identify Namespace data structure for the NSID. */
    public static final int CNS_NAMESPACE = 0x00;
    /** CNS value: Identify Controller data structure. */
    public static final int CNS_CONTROLLER = 0x01;
    /** CNS value: Active Namespace ID list. */
    public static final int CNS_ACTIVE_NAMESPACES = 0x02;
    /** Size of every Identify data structure. */
    public static final int IDENTIFY_DATA_SIZE = 4096;

    // Read: CDW10/11 Starting LBA (low/high), CDW12
    /** Number of Logical Blocks, 0's based. */
    public static final int READ_CDW12_NLB_SHIFT = 0;
    public static final int READ_CDW12_NLB_MASK = 0xFFFF;
    /** Most logical blocks one Read can name (NLB is 16 bits, 0's based). */
    public static final int READ_MAX_BLOCKS = 0x1_0000;
}
