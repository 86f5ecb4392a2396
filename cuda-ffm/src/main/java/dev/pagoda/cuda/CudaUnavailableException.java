package dev.pagoda.cuda;

/**
 * CUDA cannot be used on this machine: the driver library is missing, {@code cuInit} failed, or no
 * device is present. The message says which, so a caller can log it and fall back to the CPU.
 */
public final class CudaUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CudaUnavailableException(String reason) {
        super(reason);
    }
}
