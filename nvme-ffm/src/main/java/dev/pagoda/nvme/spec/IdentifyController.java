package dev.pagoda.nvme.spec;

/** Identify Controller data structure (CNS 01h), byte offsets and sizes. */
public final class IdentifyController {
    private IdentifyController() {}

    /** PCI Vendor ID (2 bytes). */
    public static final int VID = 0;
    /** PCI Subsystem Vendor ID (2 bytes). */
    public static final int SSVID = 2;
    /** Serial Number (ASCII, space padded). */
    public static final int SN = 4;
    public static final int SN_LENGTH = 20;
    /** Model Number (ASCII, space padded). */
    public static final int MN = 24;
    public static final int MN_LENGTH = 40;
    /** Firmware Revision (ASCII, space padded). */
    public static final int FR = 64;
    public static final int FR_LENGTH = 8;
    /** Maximum Data Transfer Size: 2 ^ MDTS units of CAP.MPSMIN; 0 means no limit. */
    public static final int MDTS = 77;
    /** Controller ID (2 bytes). */
    public static final int CNTLID = 78;
    /** Version (4 bytes, VS register format). */
    public static final int VER = 80;
    /** Submission Queue Entry Size: bits 3:0 required, 7:4 maximum (powers of two). */
    public static final int SQES = 512;
    /** Completion Queue Entry Size: bits 3:0 required, 7:4 maximum (powers of two). */
    public static final int CQES = 513;
    /** Maximum Outstanding Commands (2 bytes). */
    public static final int MAXCMD = 514;
    /** Number of Namespaces: the largest namespace identifier (4 bytes). */
    public static final int NN = 516;

    /** Required entry size nibble of SQES / CQES. */
    public static final int QES_REQUIRED_MASK = 0xF;
}
