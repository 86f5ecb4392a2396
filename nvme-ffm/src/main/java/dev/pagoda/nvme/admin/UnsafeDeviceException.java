package dev.pagoda.nvme.admin;

import java.io.IOException;

/** A device may not be handed to the userspace driver; the message says why. */
public final class UnsafeDeviceException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnsafeDeviceException(String message) {
        super(message);
    }
}
