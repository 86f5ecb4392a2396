package dev.pagoda.core.tier;

/**
 * A memory budget cannot hold what running the model needs at minimum. The message names the
 * budget, what it must hold, and the minimum; {@link #minimumBytes()} gives the number.
 */
public final class InsufficientBudgetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long minimumBytes;
    private final long availableBytes;

    public InsufficientBudgetException(String message, long minimumBytes, long availableBytes) {
        super(message);
        this.minimumBytes = minimumBytes;
        this.availableBytes = availableBytes;
    }

    /** The smallest budget that would do. */
    public long minimumBytes() {
        return minimumBytes;
    }

    /** The budget that was given (or the memory that is free, when smaller). */
    public long availableBytes() {
        return availableBytes;
    }
}
