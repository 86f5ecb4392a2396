package dev.pagoda.nvme.spec;

/** Identify Namespace data structure (CNS 00h) of the NVM command set, byte offsets. */
public final class IdentifyNamespace {
    private IdentifyNamespace() {}

    /** Namespace Size, in logical blocks (8 bytes). */
    public static final int NSZE = 0;
    /** Namespace Capacity, in logical blocks (8 bytes). */
    public static final int NCAP = 8;
    /** Namespace Utilization, in logical blocks (8 bytes). */
    public static final int NUSE = 16;
    /** Namespace Features. */
    public static final int NSFEAT = 24;
    /** Number of LBA Formats, 0's based. */
    public static final int NLBAF = 25;
    /** Formatted LBA Size: bits 3:0 index the LBA format in use. */
    public static final int FLBAS = 26;
    public static final int FLBAS_INDEX_MASK = 0xF;
    /** Metadata Capabilities. */
    public static final int MC = 27;
    /** End-to-end Data Protection Type Settings. */
    public static final int DPS = 29;
    /** First LBA Format descriptor; descriptor n is at LBAF0 + 4n. */
    public static final int LBAF0 = 128;
    /** Size of one LBA Format descriptor. */
    public static final int LBAF_SIZE = 4;
    /** Number of LBA Format descriptors in the structure. */
    public static final int LBAF_COUNT = 64;

    // LBA Format descriptor fields (a 32-bit little-endian word)
    /** Metadata Size in bytes. */
    public static final int LBAF_MS_SHIFT = 0;
    public static final int LBAF_MS_MASK = 0xFFFF;
    /** LBA Data Size: 2 ^ LBADS bytes. */
    public static final int LBAF_LBADS_SHIFT = 16;
    public static final int LBAF_LBADS_MASK = 0xFF;
    /** Relative Performance. */
    public static final int LBAF_RP_SHIFT = 24;
    public static final int LBAF_RP_MASK = 0x3;
}
