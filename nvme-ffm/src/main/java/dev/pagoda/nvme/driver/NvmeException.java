package dev.pagoda.nvme.driver;

import java.io.IOException;

/** Anything the controller or the driver's view of it got wrong. */
public sealed class NvmeException extends IOException
        permits NvmeCommandException, NvmeTimeoutException, ControllerFatalException, ControllerStartupException {
    private static final long serialVersionUID = 1L;

    public NvmeException(String message) {
        super(message);
    }
}
