package dev.pagoda.core.tier;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * A properties file of measured rates (bytes per second) under {@code ~/.cache/pagoda}, keyed by
 * what was measured on which hardware, so that a probe runs once per machine instead of on every
 * open. A missing, unreadable or malformed file or entry reads as "not measured"; a file that cannot
 * be written is logged and measured again next time. Writes go through a temporary file and an
 * atomic move, so a concurrent reader never sees half a file. Not thread-safe: load, update, store.
 */
public final class RateCacheFile {
    private static final System.Logger LOG = System.getLogger(RateCacheFile.class.getName());

    private final Path file;
    private final String what;
    private final Properties entries = new Properties();

    private RateCacheFile(Path file, String what) {
        this.file = file;
        this.what = what;
    }

    /** The default location of a cache file named {@code name}: {@code ~/.cache/pagoda/name}. */
    public static Path standardPath(String name) {
        return Path.of(System.getProperty("user.home"), ".cache", "pagoda", name);
    }

    /** The entries of {@code file} as they are now ({@code what} names the cache in log lines). */
    public static RateCacheFile load(Path file, String what) {
        RateCacheFile cache = new RateCacheFile(file, what);
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                cache.entries.load(in);
            } catch (IOException | IllegalArgumentException e) {
                LOG.log(System.Logger.Level.INFO, "ignoring the {0} {1}: {2}", what, file, e.getMessage());
                cache.entries.clear();
            }
        }
        return cache;
    }

    /** The rate stored under {@code key}, or NaN when there is none or it does not parse. */
    public double get(String key) {
        String value = entries.getProperty(key);
        if (value == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Sets {@code key} to {@code rate} (kept in memory until {@link #store}). */
    public void put(String key, double rate) {
        entries.setProperty(key, Double.toString(rate));
    }

    /** Writes every entry back, with {@code comment} at the top; a failure is logged, not thrown. */
    public void store(String comment) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "rates", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                entries.store(out, comment);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "could not write the {0} {1}: {2} (measured again next time)", what, file,
                    e.getMessage());
        }
    }
}
