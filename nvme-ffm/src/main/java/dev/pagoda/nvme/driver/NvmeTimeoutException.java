package dev.pagoda.nvme.driver;

/** A command, or a controller state change, did not complete within its timeout. */
public final class NvmeTimeoutException extends NvmeException {
    private static final long serialVersionUID = 1L;

    public NvmeTimeoutException(String message) {
        super(message);
    }
}
