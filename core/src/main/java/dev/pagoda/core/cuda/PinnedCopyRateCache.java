package dev.pagoda.core.cuda;

import dev.pagoda.core.tier.RateCacheFile;
import dev.pagoda.cuda.Cuda;
import java.nio.file.Path;
import java.util.Locale;
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
        return new PinnedCopyRateCache(RateCacheFile.standardPath("pcie.properties"),
                CudaTiering::pinnedHostToDevice);
    }

    /** Bytes per second of pinned host → device copies on {@code cuda}'s device: cached, or measured and stored. */
    public double rate(Cuda cuda) {
        return rate(key(cuda), () -> probe.applyAsDouble(cuda), Boolean.getBoolean(REMEASURE_PROPERTY));
    }

    /** The rate stored under {@code key}, or {@code measure}'s (then stored) when there is none or {@code remeasure}. */
    double rate(String key, DoubleSupplier measure, boolean remeasure) {
        RateCacheFile cache = RateCacheFile.load(cacheFile, "PCIe rate cache");
        if (!remeasure) {
            double cached = cache.get(key);
            if (cached > 0) {
                return cached;
            }
        }
        double measured = measure.getAsDouble();
        cache.put(key, measured);
        cache.store("Pagoda pinned host-to-device copy rates, bytes/s (delete, or -D" + REMEASURE_PROPERTY
                + "=true, to measure again)");
        return measured;
    }

    /** "h2d.NVIDIA_H100_80GB_HBM3.pci0000_1a_00.driver13000": another card, slot or driver measures again. */
    static String key(Cuda cuda) {
        String pci = String.format(Locale.ROOT, "%04x_%02x_%02x", cuda.attribute(PCI_DOMAIN_ID),
                cuda.attribute(PCI_BUS_ID), cuda.attribute(PCI_DEVICE_ID));
        return "h2d." + cuda.deviceName().replaceAll("[^A-Za-z0-9]+", "_") + ".pci" + pci + ".driver"
                + cuda.driverVersion();
    }
}
