package dev.pagoda.core.tier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * This process's resident set from {@code /proc/self/status}, split as the kernel splits it: anonymous
 * memory (Java heap, native allocations, the CPU "device"), pages of mapped files (the model file's
 * mapping among them) and shared memory (pinned host buffers of the CUDA driver land here or in anon).
 *
 * @param vmRss    VmRSS: everything resident
 * @param rssAnon  RssAnon
 * @param rssFile  RssFile: resident pages of file mappings
 * @param rssShmem RssShmem
 * @param vmHwm    VmHWM: the peak of VmRSS so far
 */
public record ProcessMemory(long vmRss, long rssAnon, long rssFile, long rssShmem, long vmHwm) {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path SMAPS = Path.of("/proc/self/smaps");

    /** The current numbers, or empty where /proc/self/status is missing or lacks them (not Linux). */
    public static Optional<ProcessMemory> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(STATUS);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        long rss = kib(lines, "VmRSS:");
        long anon = kib(lines, "RssAnon:");
        long file = kib(lines, "RssFile:");
        long shmem = kib(lines, "RssShmem:");
        long hwm = kib(lines, "VmHWM:");
        if (rss < 0 || anon < 0 || file < 0 || shmem < 0) {
            return Optional.empty();
        }
        return Optional.of(new ProcessMemory(rss, anon, file, shmem, Math.max(hwm, rss)));
    }

    /**
     * Resident bytes of this process's mappings of {@code file} (the Rss lines of its entries in
     * /proc/self/smaps), or empty where smaps cannot be read.
     */
    public static Optional<Long> mappedResidentBytes(Path file) {
        String name;
        List<String> lines;
        try {
            name = file.toRealPath().toString();
            lines = Files.readAllLines(SMAPS);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        long sum = 0;
        boolean inFile = false;
        for (String line : lines) {
            int colon = line.indexOf(':');
            boolean header = colon < 0 || line.indexOf(' ') < colon;  // "start-end perms offset dev inode path"
            if (header) {
                inFile = line.endsWith(" " + name);
            } else if (inFile && line.startsWith("Rss:")) {
                sum += parseKib(line.substring(4)) * 1024;
            }
        }
        return Optional.of(sum);
    }

    private static long kib(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key)) {
                return parseKib(line.substring(key.length())) * 1024;
            }
        }
        return -1;
    }

    private static long parseKib(String value) {
        String v = value.trim();
        if (v.endsWith("kB")) {
            v = v.substring(0, v.length() - 2).trim();
        }
        return Long.parseLong(v);
    }

    /** "VmRSS 24.10 GiB (RssAnon 1.20 GiB, RssFile 0.30 GiB, RssShmem 19.00 GiB; peak VmHWM 25.00 GiB)". */
    public String summary() {
        return "VmRSS " + gib(vmRss) + " (RssAnon " + gib(rssAnon) + ", RssFile " + gib(rssFile) + ", RssShmem "
                + gib(rssShmem) + "; peak VmHWM " + gib(vmHwm) + ")";
    }

    /** Binary units, as budgets are given ("10g" = 10 GiB): "40.40 GiB", "312.5 MiB". */
    static String gib(long bytes) {
        return bytes >= 1L << 30 ? String.format(java.util.Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
