package dev.pagoda.nvme.admin;

import java.util.List;
import java.util.Optional;

/**
 * One NVMe controller as sysfs shows it.
 *
 * @param pciAddress   such as 0000:00:04.0
 * @param name         kernel controller name (nvme0) while the nvme driver holds it
 * @param driver       the bound driver (nvme, vfio-pci), if any
 * @param serial       serial number (sysfs; empty while not on the nvme driver)
 * @param model        model (sysfs; empty while not on the nvme driver)
 * @param blockDevices namespaces and their partitions
 */
public record NvmeControllerInfo(String pciAddress, Optional<String> name, Optional<String> driver, String serial,
                                 String model, List<BlockDevice> blockDevices) {
    /** Whether a mounted filesystem, the root filesystem or a swap area lives on it. */
    public boolean inUse() {
        return blockDevices.stream().anyMatch(BlockDevice::inUse);
    }
}
