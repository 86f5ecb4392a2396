package dev.pagoda.core.tier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Host memory the plan may pin for tier B layers and storage staging: what the kernel reports
 * available ({@code MemAvailable} of /proc/meminfo) and an optional user budget.
 *
 * @param availableBytes memory available without swapping
 * @param budgetBytes    the user's cap, or {@link Long#MAX_VALUE} for none
 */
public record HostBudget(long availableBytes, long budgetBytes) {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    public HostBudget {
        if (availableBytes < 0 || budgetBytes < 0) {
            throw new IllegalArgumentException("negative host memory: available " + availableBytes
                    + ", budget " + budgetBytes);
        }
    }

    /** Available memory with no user cap. */
    public static HostBudget available(long availableBytes) {
        return new HostBudget(availableBytes, Long.MAX_VALUE);
    }

    /** The same available memory capped at {@code budgetBytes}. */
    public HostBudget limitedTo(long budgetBytes) {
        return new HostBudget(availableBytes, budgetBytes);
    }

    /** What the plan may use: the smaller of available memory and the budget. */
    public long usableBytes() {
        return Math.min(availableBytes, budgetBytes);
    }

    /**
     * {@code MemAvailable} from /proc/meminfo.
     *
     * @throws IOException when the file is missing (not Linux) or has no such line
     */
    public static long memAvailable() throws IOException {
        for (String line : Files.readAllLines(MEMINFO)) {
            if (line.startsWith("MemAvailable:")) {
                String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
                try {
                    return Long.parseLong(parts[0]) * (parts.length > 1 && parts[1].equals("kB") ? 1024 : 1);
                } catch (NumberFormatException e) {
                    throw new IOException(MEMINFO + ": cannot read the line '" + line + "'");
                }
            }
        }
        throw new IOException(MEMINFO + " has no MemAvailable line");
    }
}
