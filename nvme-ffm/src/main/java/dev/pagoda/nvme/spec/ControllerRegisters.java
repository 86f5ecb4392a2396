package dev.pagoda.nvme.spec;

/** Controller registers in BAR0 (NVMe base specification, "Controller Registers"). */
public final class ControllerRegisters {
    private ControllerRegisters() {}

    /** Controller Capabilities (64-bit, read-only). */
    public static final int CAP = 0x00;
    /** Version (32-bit). */
    public static final int VS = 0x08;
    /** Interrupt Mask Set (32-bit). */
    public static final int INTMS = 0x0C;
    /** Interrupt Mask Clear (32-bit). */
    public static final int INTMC = 0x10;
    /** Controller Configuration (32-bit). */
    public static final int CC = 0x14;
    /** Controller Status (32-bit). */
    public static final int CSTS = 0x1C;
    /** NVM Subsystem Reset (32-bit); never written by Pagoda. */
    public static final int NSSR = 0x20;
    /** Admin Queue Attributes (32-bit). */
    public static final int AQA = 0x24;
    /** Admin Submission Queue Base Address (64-bit). */
    public static final int ASQ = 0x28;
    /** Admin Completion Queue Base Address (64-bit). */
    public static final int ACQ = 0x30;
    /** First doorbell: Submission Queue 0 Tail Doorbell. */
    public static final int DOORBELL_BASE = 0x1000;
    /** Bytes of one doorbell before the stride: (4 &lt;&lt; CAP.DSTRD) apart. */
    public static final int DOORBELL_UNIT = 4;

    // CAP fields
    /** Maximum Queue Entries Supported, 0's based. */
    public static final int CAP_MQES_SHIFT = 0;
    public static final long CAP_MQES_MASK = 0xFFFFL;
    /** Contiguous Queues Required. */
    public static final int CAP_CQR_SHIFT = 16;
    public static final long CAP_CQR_MASK = 0x1L;
    /** Arbitration Mechanism Supported. */
    public static final int CAP_AMS_SHIFT = 17;
    public static final long CAP_AMS_MASK = 0x3L;
    /** Timeout: worst-case time for CSTS.RDY to change, in 500 ms units. */
    public static final int CAP_TO_SHIFT = 24;
    public static final long CAP_TO_MASK = 0xFFL;
    /** Milliseconds in one CAP.TO unit. */
    public static final int CAP_TO_UNIT_MILLIS = 500;
    /** Doorbell Stride: doorbells are (2 ^ (2 + DSTRD)) bytes apart. */
    public static final int CAP_DSTRD_SHIFT = 32;
    public static final long CAP_DSTRD_MASK = 0xFL;
    /** NVM Subsystem Reset Supported. */
    public static final int CAP_NSSRS_SHIFT = 36;
    public static final long CAP_NSSRS_MASK = 0x1L;
    /** Command Sets Supported (bit 0 of the field: NVM command set). */
    public static final int CAP_CSS_SHIFT = 37;
    public static final long CAP_CSS_MASK = 0xFFL;
    /** Bit of CAP.CSS: the NVM command set. */
    public static final long CAP_CSS_NVM = 0x1L;
    /** Memory Page Size Minimum: 2 ^ (12 + MPSMIN) bytes. */
    public static final int CAP_MPSMIN_SHIFT = 48;
    public static final long CAP_MPSMIN_MASK = 0xFL;
    /** Memory Page Size Maximum: 2 ^ (12 + MPSMAX) bytes. */
    public static final int CAP_MPSMAX_SHIFT = 52;
    public static final long CAP_MPSMAX_MASK = 0xFL;
    /** Base-two logarithm of the smallest memory page size (4 KiB). */
    public static final int PAGE_SHIFT_BASE = 12;

    // VS fields
    /** Major version. */
    public static final int VS_MJR_SHIFT = 16;
    public static final int VS_MJR_MASK = 0xFFFF;
    /** Minor version. */
    public static final int VS_MNR_SHIFT = 8;
    public static final int VS_MNR_MASK = 0xFF;

    // CC fields
    /** Enable. */
    public static final int CC_EN_SHIFT = 0;
    public static final int CC_EN_MASK = 0x1;
    /** I/O Command Set Selected (000b: NVM command set). */
    public static final int CC_CSS_SHIFT = 4;
    public static final int CC_CSS_MASK = 0x7;
    /** CC.CSS value selecting the NVM command set. */
    public static final int CC_CSS_NVM = 0x0;
    /** Memory Page Size: 2 ^ (12 + MPS) bytes. */
    public static final int CC_MPS_SHIFT = 7;
    public static final int CC_MPS_MASK = 0xF;
    /** Arbitration Mechanism Selected (000b: round robin). */
    public static final int CC_AMS_SHIFT = 11;
    public static final int CC_AMS_MASK = 0x7;
    /** Shutdown Notification. */
    public static final int CC_SHN_SHIFT = 14;
    public static final int CC_SHN_MASK = 0x3;
    /** CC.SHN value: normal shutdown notification. */
    public static final int CC_SHN_NORMAL = 0x1;
    /** I/O Submission Queue Entry Size, as a power of two. */
    public static final int CC_IOSQES_SHIFT = 16;
    public static final int CC_IOSQES_MASK = 0xF;
    /** I/O Completion Queue Entry Size, as a power of two. */
    public static final int CC_IOCQES_SHIFT = 20;
    public static final int CC_IOCQES_MASK = 0xF;

    // CSTS fields
    /** Ready. */
    public static final int CSTS_RDY_SHIFT = 0;
    public static final int CSTS_RDY_MASK = 0x1;
    /** Controller Fatal Status. */
    public static final int CSTS_CFS_SHIFT = 1;
    public static final int CSTS_CFS_MASK = 0x1;
    /** Shutdown Status. */
    public static final int CSTS_SHST_SHIFT = 2;
    public static final int CSTS_SHST_MASK = 0x3;
    /** CSTS.SHST value: normal operation, no shutdown requested. */
    public static final int CSTS_SHST_NORMAL = 0x0;
    /** CSTS.SHST value: shutdown processing occurring. */
    public static final int CSTS_SHST_OCCURRING = 0x1;
    /** CSTS.SHST value: shutdown processing complete. */
    public static final int CSTS_SHST_COMPLETE = 0x2;
    /** NVM Subsystem Reset Occurred. */
    public static final int CSTS_NSSRO_SHIFT = 4;
    public static final int CSTS_NSSRO_MASK = 0x1;
    /** Processing Paused. */
    public static final int CSTS_PP_SHIFT = 5;
    public static final int CSTS_PP_MASK = 0x1;
    /** Value read from a register of a device that is gone (surprise removal, failed link). */
    public static final int ALL_ONES = 0xFFFF_FFFF;

    // AQA fields
    /** Admin Submission Queue Size, 0's based. */
    public static final int AQA_ASQS_SHIFT = 0;
    public static final int AQA_ASQS_MASK = 0xFFF;
    /** Admin Completion Queue Size, 0's based. */
    public static final int AQA_ACQS_SHIFT = 16;
    public static final int AQA_ACQS_MASK = 0xFFF;
    /** Largest admin queue the AQA fields can express (4096 entries). */
    public static final int AQA_MAX_ENTRIES = 4096;
}
