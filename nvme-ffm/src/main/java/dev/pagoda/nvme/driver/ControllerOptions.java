package dev.pagoda.nvme.driver;

import java.time.Duration;

/**
 * How to bring the controller up.
 *
 * @param ioQueuePairs   I/O queue pairs to create (one per thread that reads)
 * @param ioQueueDepth   entries per I/O queue, capped by CAP.MQES + 1
 * @param commandTimeout per-command timeout
 */
public record ControllerOptions(int ioQueuePairs, int ioQueueDepth, Duration commandTimeout) {
    public static final int ADMIN_QUEUE_DEPTH = 32;

    public ControllerOptions {
        if (ioQueuePairs < 1 || ioQueuePairs > 64) {
            throw new IllegalArgumentException("I/O queue pairs must be 1 to 64, not " + ioQueuePairs);
        }
        if (ioQueueDepth < 2 || ioQueueDepth > 65536) {
            throw new IllegalArgumentException("I/O queue depth must be 2 to 65536, not " + ioQueueDepth);
        }
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("command timeout must be positive, not " + commandTimeout);
        }
    }

    /** Two queue pairs of 256 entries, 5 second command timeout. */
    public static ControllerOptions defaults() {
        return new ControllerOptions(2, 256, Duration.ofSeconds(5));
    }
}
