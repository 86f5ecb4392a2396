package dev.pagoda.nvme.driver;

/** The controller answered LBA Out of Range (generic status 80h). */
public final class LbaOutOfRangeException extends NvmeCommandException {
    private static final long serialVersionUID = 1L;

    public LbaOutOfRangeException(CompletionStatus status, String command) {
        super(status, command);
    }
}
