package dev.pagoda.nvme.spec;

/** Named status codes (NVMe base and NVM command set specifications), each with its type. */
public enum StatusCode {
    /** Successful Completion. */
    SUCCESS(StatusCodeType.GENERIC, 0x00, "Successful Completion"),
    /** Invalid Command Opcode. */
    INVALID_OPCODE(StatusCodeType.GENERIC, 0x01, "Invalid Command Opcode"),
    /** Invalid Field in Command. */
    INVALID_FIELD(StatusCodeType.GENERIC, 0x02, "Invalid Field in Command"),
    /** Command ID Conflict. */
    COMMAND_ID_CONFLICT(StatusCodeType.GENERIC, 0x03, "Command ID Conflict"),
    /** Data Transfer Error. */
    DATA_TRANSFER_ERROR(StatusCodeType.GENERIC, 0x04, "Data Transfer Error"),
    /** Commands Aborted due to Power Loss Notification. */
    ABORTED_POWER_LOSS(StatusCodeType.GENERIC, 0x05, "Commands Aborted due to Power Loss Notification"),
    /** Internal Error. */
    INTERNAL_ERROR(StatusCodeType.GENERIC, 0x06, "Internal Error"),
    /** Command Abort Requested. */
    ABORT_REQUESTED(StatusCodeType.GENERIC, 0x07, "Command Abort Requested"),
    /** Command Aborted due to SQ Deletion. */
    ABORTED_SQ_DELETION(StatusCodeType.GENERIC, 0x08, "Command Aborted due to SQ Deletion"),
    /** Invalid Namespace or Format. */
    INVALID_NAMESPACE_OR_FORMAT(StatusCodeType.GENERIC, 0x0B, "Invalid Namespace or Format"),
    /** Invalid PRP Offset. */
    INVALID_PRP_OFFSET(StatusCodeType.GENERIC, 0x13, "Invalid PRP Offset"),
    /** LBA Out of Range. */
    LBA_OUT_OF_RANGE(StatusCodeType.GENERIC, 0x80, "LBA Out of Range"),
    /** Capacity Exceeded. */
    CAPACITY_EXCEEDED(StatusCodeType.GENERIC, 0x81, "Capacity Exceeded"),
    /** Namespace Not Ready. */
    NAMESPACE_NOT_READY(StatusCodeType.GENERIC, 0x82, "Namespace Not Ready"),
    /** Completion Queue Invalid. */
    COMPLETION_QUEUE_INVALID(StatusCodeType.COMMAND_SPECIFIC, 0x00, "Completion Queue Invalid"),
    /** Invalid Queue Identifier. */
    INVALID_QUEUE_IDENTIFIER(StatusCodeType.COMMAND_SPECIFIC, 0x01, "Invalid Queue Identifier"),
    /** Invalid Queue Size. */
    INVALID_QUEUE_SIZE(StatusCodeType.COMMAND_SPECIFIC, 0x02, "Invalid Queue Size"),
    /** Unrecovered Read Error. */
    UNRECOVERED_READ_ERROR(StatusCodeType.MEDIA_AND_DATA_INTEGRITY, 0x81, "Unrecovered Read Error"),
    /** End-to-end Guard Check Error. */
    GUARD_CHECK_ERROR(StatusCodeType.MEDIA_AND_DATA_INTEGRITY, 0x82, "End-to-end Guard Check Error"),
    /** Access Denied. */
    ACCESS_DENIED(StatusCodeType.MEDIA_AND_DATA_INTEGRITY, 0x86, "Access Denied");

    /** Status Code Type. */
    public final StatusCodeType type;
    /** The 8-bit status code within its type. */
    public final int code;
    /** The specification's name for it. */
    public final String meaning;

    StatusCode(StatusCodeType type, int code, String meaning) {
        this.type = type;
        this.code = code;
        this.meaning = meaning;
    }
}
