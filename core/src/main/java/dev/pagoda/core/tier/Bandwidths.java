package dev.pagoda.core.tier;

import java.util.Locale;

/**
 * Transfer rates the planner predicts speed from, in bytes per second. They are inputs: measured
 * by the backend where it can (a timed pinned copy, a timed O_DIRECT read), otherwise the
 * {@link #assumed()} values of the target machine.
 *
 * @param hostToDevice  pinned host → device copies (PCIe H2D); on the CPU "device", memcpy
 * @param storage       reads from storage into pinned host memory (O_DIRECT, several in flight)
 * @param deviceMemory  reads of weights by the compute kernels (HBM; on the CPU, DRAM read bandwidth)
 */
public record Bandwidths(double hostToDevice, double storage, double deviceMemory) {
    /** PCIe 5.0 x16 pinned H2D as measured on H100 hosts. */
    public static final double ASSUMED_PCIE = 54e9;
    /** One PCIe 4.0 NVMe drive, sequential reads. */
    public static final double ASSUMED_STORAGE = 7e9;
    /** H100 HBM3 reached by a memory-bound matrix-vector kernel. */
    public static final double ASSUMED_DEVICE_MEMORY = 3000e9;

    public Bandwidths {
        if (!(hostToDevice > 0) || !(storage > 0) || !(deviceMemory > 0)) {
            throw new IllegalArgumentException("bandwidths must be positive: host→device " + hostToDevice
                    + ", storage " + storage + ", device memory " + deviceMemory + " B/s");
        }
    }

    /** The target machine's rates (H100 PCIe 5.0, one NVMe drive) until the backend measures its own. */
    public static Bandwidths assumed() {
        return new Bandwidths(ASSUMED_PCIE, ASSUMED_STORAGE, ASSUMED_DEVICE_MEMORY);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PCIe %.0f GB/s, storage %.1f GB/s, device memory %.0f GB/s",
                hostToDevice / 1e9, storage / 1e9, deviceMemory / 1e9);
    }
}
