package dev.pagoda.nvme.driver;

/** CSTS.CFS is set (or the registers read all ones): the controller needs a reset. */
public final class ControllerFatalException extends NvmeException {
    private static final long serialVersionUID = 1L;

    public ControllerFatalException(String message) {
        super(message);
    }
}
