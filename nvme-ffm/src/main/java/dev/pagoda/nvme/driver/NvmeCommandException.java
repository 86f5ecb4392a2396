package dev.pagoda.nvme.driver;

import dev.pagoda.nvme.spec.StatusCode;
import java.util.Optional;

/** A command completed with an error status; names the status code type and code. */
public sealed class NvmeCommandException extends NvmeException permits LbaOutOfRangeException {
    private static final long serialVersionUID = 1L;

    private final CompletionStatus status;
    private final String command;

    public NvmeCommandException(CompletionStatus status, String command) {
        super(command + " failed: " + status);
        this.status = status;
        this.command = command;
    }

    /** The decoded status field. */
    public CompletionStatus status() {
        return status;
    }

    /** The named status, when the specification's table in {@link StatusCode} has it. */
    public Optional<StatusCode> code() {
        return status.named();
    }

    /** What was being done, such as "Read nsid 1 LBA 4096 + 8". */
    public String command() {
        return command;
    }
}
