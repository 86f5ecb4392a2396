package dev.pagoda.core.cuda;

import dev.pagoda.cuda.Cuda;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The pinned host → device copy rate the tier planner predicts from, measured once per GPU and kept
 * in a properties file ({@code ~/.cache/pagoda/pcie.properties} by default) keyed by the device's
 * name, PCI address and driver version: the 256 MiB probe costs a few hundred milliseconds and
 * 256 MiB of pinned memory on every budgeted open otherwise. The system property
 * {@value #REMEASURE_PROPERTY}{@code =true} (or deleting the file) measures again; benchmarks that
 * divide by the rate measure it themselves in the same run.
 */
public final class PinnedCopyRateCache {
    /** Set to {@code true} to measure even when the cache has a rate for this device. */
    public static final String REMEASURE_PROPERTY = "pagoda.pcie.remeasure";
    private static final System.Logger LOG = System.getLogger(PinnedCopyRateCache.class.getName());
    // CU_DEVICE_ATTRIBUTE_PCI_BUS_ID, _PCI_DEVICE_ID, _PCI_DOMAIN_ID (cuda.h)
    private static final int PCI_BUS_ID = 33;
    private static final int PCI_DEVICE_ID = 34;
    private static final int PCI_DOMAIN_ID = 50;

    private final Path cacheFile;
    private final ToDoubleFunction<Cuda> probe;

    /** A cache in {@code cacheFile} that measures with {@code probe} (bytes per second) on a miss. */
    public PinnedCopyRateCache(Path cacheFile, ToDoubleFunction<Cuda> probe) {
        this.cacheFile = cacheFile;
        this.probe = probe;
    }

    /** The default: {@code ~/.cache/pagoda/pcie.properties}, measured by {@link CudaTiering#pinnedHostToDevice}. */
    public static PinnedCopyRateCache standard() {
        return new PinnedCopyRateCache(Path.of(System.getProperty("user.home"), ".cache", "pagoda", "pcie.properties"),
                CudaTiering::pinnedHostToDevice);
    }

    /** Bytes per second of pinned host → device copies on {@code cuda}'s device: cached, or measured and stored. */
    public double rate(Cuda cuda) {
        return rate(key(cuda), () -> probe.applyAsDouble(cuda), Boolean.getBoolean(REMEASURE_PROPERTY));
    }

    /** The rate stored under {@code key}, or {@code measure}'s (then stored) when there is none or {@code remeasure}. */
    double rate(String key, DoubleSupplier measure, boolean remeasure) {
        Properties cache = load();
        if (!remeasure) {
            double cached = parse(cache.getProperty(key));
            if (cached > 0) {
                return cached;
            }
        }
        double measured = measure.getAsDouble();
        cache.setProperty(key, Double.toString(measured));
        store(cache);
        return measured;
    }

    /** "h2d.NVIDIA_H100_80GB_HBM3.pci0000_1a_00.driver13000": another card, slot or driver measures again. */
    static String key(Cuda cuda) {
        String pci = String.format(Locale.ROOT, "%04x_%02x_%02x", cuda.attribute(PCI_DOMAIN_ID),
                cuda.attribute(PCI_BUS_ID), cuda.attribute(PCI_DEVICE_ID));
        return "h2d." + cuda.deviceName().replaceAll("[^A-Za-z0-9]+", "_") + ".pci" + pci + ".driver"
                + cuda.driverVersion();
    }

    private static double parse(String value) {
        if (value == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.isRegularFile(cacheFile)) {
            try (InputStream in = Files.newInputStream(cacheFile)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                LOG.log(System.Logger.Level.INFO, "ignoring the PCIe rate cache {0}: {1}", cacheFile, e.getMessage());
            }
        }
        return p;
    }

    private void store(Properties p) {
        try {
            Path dir = cacheFile.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "pcie", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "Pagoda pinned host-to-device copy rates, bytes/s (delete, or -D" + REMEASURE_PROPERTY
                        + "=true, to measure again)");
            }
            Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "could not write the PCIe rate cache {0}: {1} (measured again next time)",
                    cacheFile, e.getMessage());
        }
    }
}
