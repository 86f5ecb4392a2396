package dev.pagoda.nvme.admin;

import java.nio.file.Path;

/**
 * Where sysfs and procfs are: the real ones, or a directory tree laid out like them for tests.
 *
 * @param sys  sysfs (normally /sys)
 * @param proc procfs (normally /proc)
 */
public record SystemRoots(Path sys, Path proc) {
    public static SystemRoots live() {
        return new SystemRoots(Path.of("/sys"), Path.of("/proc"));
    }
}
