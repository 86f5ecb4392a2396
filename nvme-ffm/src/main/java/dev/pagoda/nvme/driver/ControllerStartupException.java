package dev.pagoda.nvme.driver;

/** The controller cannot be brought up as the driver needs (capabilities, identify data). */
public final class ControllerStartupException extends NvmeException {
    private static final long serialVersionUID = 1L;

    public ControllerStartupException(String message) {
        super(message);
    }
}
