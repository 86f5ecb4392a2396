package dev.pagoda.nvme.admin;

import java.util.List;

/**
 * A namespace or partition block device and what uses it.
 *
 * @param name         kernel name, such as nvme0n1 or nvme0n1p2
 * @param majorMinor   "major:minor"
 * @param mountPoints  where it is mounted (from /proc/self/mountinfo)
 * @param swap         whether it is an active swap area (/proc/swaps)
 */
public record BlockDevice(String name, String majorMinor, List<String> mountPoints, boolean swap) {
    /** Whether it holds the root filesystem. */
    public boolean holdsRoot() {
        return mountPoints.contains("/");
    }

    /** Whether anything uses it. */
    public boolean inUse() {
        return swap || !mountPoints.isEmpty();
    }
}
