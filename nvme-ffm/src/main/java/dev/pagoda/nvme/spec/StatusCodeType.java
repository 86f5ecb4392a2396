package dev.pagoda.nvme.spec;

/** Status Code Type values of a completion's status field. */
public enum StatusCodeType {
    /** Generic Command Status. */
    GENERIC(0x0),
    /** Command Specific Status. */
    COMMAND_SPECIFIC(0x1),
    /** Media and Data Integrity Errors. */
    MEDIA_AND_DATA_INTEGRITY(0x2),
    /** Path Related Status. */
    PATH_RELATED(0x3),
    /** Vendor Specific. */
    VENDOR_SPECIFIC(0x7);

    /** The 3-bit SCT value. */
    public final int value;

    StatusCodeType(int value) {
        this.value = value;
    }
}
