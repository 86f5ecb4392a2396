package dev.pagoda.nvme.driver;

import dev.pagoda.nvme.spec.AdminOpcode;
import dev.pagoda.nvme.spec.NvmOpcode;

/**
 * The closed allow-list of commands the driver can issue: a queue pair accepts nothing else, so
 * no caller can send Write, Format, Sanitize, firmware or any other command that changes the
 * medium. None of these modifies stored data.
 */
public enum AllowedCommand {
    IDENTIFY(true, AdminOpcode.IDENTIFY),
    CREATE_IO_COMPLETION_QUEUE(true, AdminOpcode.CREATE_IO_CQ),
    CREATE_IO_SUBMISSION_QUEUE(true, AdminOpcode.CREATE_IO_SQ),
    DELETE_IO_SUBMISSION_QUEUE(true, AdminOpcode.DELETE_IO_SQ),
    DELETE_IO_COMPLETION_QUEUE(true, AdminOpcode.DELETE_IO_CQ),
    READ(false, NvmOpcode.READ);

    /** Whether this is an admin command (queue 0) rather than an I/O command. */
    public final boolean admin;
    /** The opcode byte. */
    public final int opcode;

    AllowedCommand(boolean admin, int opcode) {
        this.admin = admin;
        this.opcode = opcode;
    }
}
