package dev.pagoda.core.tier;

/**
 * Memory of the compute device the plan may use: what the backend reports free (cuMemGetInfo on
 * CUDA; for the CPU "device", host memory available) and an optional user budget, so that a
 * 24 GB card can be reproduced on an 80 GB one.
 *
 * @param freeBytes   memory the device reports free
 * @param budgetBytes the user's cap, or {@link Long#MAX_VALUE} for none
 */
public record DeviceBudget(long freeBytes, long budgetBytes) {

    public DeviceBudget {
        if (freeBytes < 0 || budgetBytes < 0) {
            throw new IllegalArgumentException("negative device memory: free " + freeBytes + ", budget " + budgetBytes);
        }
    }

    /** Free memory with no user cap. */
    public static DeviceBudget free(long freeBytes) {
        return new DeviceBudget(freeBytes, Long.MAX_VALUE);
    }

    /** The same free memory capped at {@code budgetBytes}. */
    public DeviceBudget limitedTo(long budgetBytes) {
        return new DeviceBudget(freeBytes, budgetBytes);
    }

    /** What the plan may use: the smaller of free memory and the budget. */
    public long usableBytes() {
        return Math.min(freeBytes, budgetBytes);
    }
}
