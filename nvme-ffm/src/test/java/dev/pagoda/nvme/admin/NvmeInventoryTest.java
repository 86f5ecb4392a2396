package dev.pagoda.nvme.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory over a directory tree laid out like sysfs and procfs (native multipath layout). */
class NvmeInventoryTest {
    @TempDir
    Path root;
    private NvmeInventory inventory;

    @BeforeEach
    void layOut() throws IOException {
        Path sys = root.resolve("sys");
        Path proc = root.resolve("proc");
        controller(sys, "0000:00:04.0", "nvme0", "nvme", "SYSTEM-DISK", 0);
        controller(sys, "0000:00:05.0", "nvme1", "nvme", "SWAP-DISK", 1);
        controller(sys, "0000:00:06.0", "nvme2", "nvme", "DATA-DISK", 2);
        controller(sys, "0000:00:07.0", "nvme3", "nvme", "FREE-DISK", 3);
        write(proc.resolve("self/mountinfo"), """
                22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p1 rw
                30 22 259:9 / /data\\040disk rw,relatime shared:2 - ext4 /dev/nvme2n1p1 rw
                """);
        write(proc.resolve("swaps"), """
                Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority
                /dev/nvme1n1p1                          partition\t1048572\t\t0\t\t-2
                """);
        inventory = new NvmeInventory(new SystemRoots(sys, proc));
    }

    private static void controller(Path sys, String address, String name, String driver, String serial, int index)
            throws IOException {
        Path pci = sys.resolve("devices/pci0000:00").resolve(address);
        write(pci.resolve("class"), "0x010802\n");
        Files.createDirectories(sys.resolve("bus/pci/drivers").resolve(driver));
        Files.createSymbolicLink(pci.resolve("driver"), sys.resolve("bus/pci/drivers").resolve(driver));
        Files.createDirectories(sys.resolve("bus/pci/devices"));
        Files.createSymbolicLink(sys.resolve("bus/pci/devices").resolve(address), pci);
        Path ctrl = pci.resolve("nvme").resolve(name);
        write(ctrl.resolve("serial"), serial + "\n");
        write(ctrl.resolve("model"), "Test NVMe\n");
        write(ctrl.resolve("address"), address + "\n");
        Files.createDirectories(sys.resolve("class/nvme"));
        Files.createSymbolicLink(sys.resolve("class/nvme").resolve(name), ctrl);
        // native multipath: the namespace lives under the subsystem, the controller path is hidden
        Path subsystem = sys.resolve("devices/virtual/nvme-subsystem/nvme-subsys" + index);
        Files.createDirectories(subsystem);
        Files.createSymbolicLink(subsystem.resolve(name), ctrl);
        Path ns = subsystem.resolve("nvme" + index + "n1");
        write(ns.resolve("dev"), "259:" + (index * 4) + "\n");
        write(ns.resolve("nvme" + index + "n1p1/dev"), "259:" + (index * 4 + 1) + "\n");
        Files.createDirectories(sys.resolve("class/nvme-subsystem"));
        Files.createSymbolicLink(sys.resolve("class/nvme-subsystem/nvme-subsys" + index), subsystem);
        Files.createDirectories(ctrl.resolve("nvme" + index + "c" + index + "n1"));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void listsControllersWithDriversNamespacesMountsAndSwap() throws IOException {
        var all = inventory.controllers();
        assertThat(all).extracting(NvmeControllerInfo::pciAddress)
                .containsExactly("0000:00:04.0", "0000:00:05.0", "0000:00:06.0", "0000:00:07.0");
        NvmeControllerInfo system = all.getFirst();
        assertThat(system.driver()).contains("nvme");
        assertThat(system.serial()).isEqualTo("SYSTEM-DISK");
        assertThat(system.blockDevices()).extracting(BlockDevice::name).containsExactly("nvme0n1", "nvme0n1p1");
        assertThat(system.blockDevices().get(1).holdsRoot()).isTrue();
        assertThat(all.get(1).blockDevices().get(1).swap()).isTrue();
        assertThat(all.get(2).blockDevices().get(1).mountPoints()).containsExactly("/data disk");
        assertThat(all.get(3).inUse()).isFalse();
    }

    @Test
    void refusesRootSwapMountedAndUnnamedDevices() {
        assertThatThrownBy(() -> inventory.checkSafeToBind("0000:00:04.0"))
                .isInstanceOf(UnsafeDeviceException.class).hasMessageContaining("holds the root filesystem");
        assertThatThrownBy(() -> inventory.checkSafeToBind("0000:00:05.0"))
                .isInstanceOf(UnsafeDeviceException.class).hasMessageContaining("active swap area");
        assertThatThrownBy(() -> inventory.checkSafeToBind("0000:00:06.0"))
                .isInstanceOf(UnsafeDeviceException.class).hasMessageContaining("mounted at /data disk");
        assertThatThrownBy(() -> inventory.checkSafeToBind("nvme3"))
                .isInstanceOf(UnsafeDeviceException.class).hasMessageContaining("named explicitly");
        assertThatThrownBy(() -> inventory.checkSafeToBind("0000:00:09.0"))
                .isInstanceOf(UnsafeDeviceException.class).hasMessageContaining("no NVMe controller");
    }

    @Test
    void acceptsAnIdleDeviceNamedExactly() throws IOException {
        assertThat(inventory.checkSafeToBind("0000:00:07.0").serial()).isEqualTo("FREE-DISK");
    }
}
