package dev.pagoda.nvme.admin;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * Lists NVMe controllers (PCI class 010802 in /sys/bus/pci, names from /sys/class/nvme) with their
 * driver, namespaces, partitions, mounts and swap, and moves one between the nvme driver and
 * vfio-pci. Binding refuses any device not named exactly, or that holds a mount, the root
 * filesystem or a swap area.
 */
public final class NvmeInventory {
    private static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
    private static final Pattern NAMESPACE = Pattern.compile("nvme\\d+n\\d+");
    private static final String NVME_CLASS = "0x010802";
    private static final String VFIO_PCI = "vfio-pci";

    private final SystemRoots roots;

    public NvmeInventory(SystemRoots roots) {
        this.roots = roots;
    }

    /** Every NVMe controller on the PCI bus, in address order. */
    public List<NvmeControllerInfo> controllers() throws IOException {
        Map<String, List<String>> mounts = mountsByDevice();
        Set<String> swaps = swapDevices();
        Map<String, String> nvmeNames = controllerNamesByAddress();
        List<NvmeControllerInfo> result = new ArrayList<>();
        Path pci = roots.sys().resolve("bus/pci/devices");
        if (!Files.isDirectory(pci)) {
            return result;
        }
        try (DirectoryStream<Path> devices = Files.newDirectoryStream(pci)) {
            for (Path device : devices) {
                String address = device.getFileName().toString();
                if (!NVME_CLASS.equals(readTrimmed(device.resolve("class")).orElse(""))) {
                    continue;
                }
                Optional<String> driver = linkName(device.resolve("driver"));
                Optional<String> name = Optional.ofNullable(nvmeNames.get(address));
                String serial = "";
                String model = "";
                List<BlockDevice> blocks = new ArrayList<>();
                if (name.isPresent()) {
                    Path ctrl = roots.sys().resolve("class/nvme").resolve(name.get());
                    serial = readTrimmed(ctrl.resolve("serial")).orElse("");
                    model = readTrimmed(ctrl.resolve("model")).orElse("");
                    blocks = blockDevices(ctrl, name.get(), mounts, swaps);
                }
                result.add(new NvmeControllerInfo(address, name, driver, serial, model, blocks));
            }
        }
        result.sort(Comparator.comparing(NvmeControllerInfo::pciAddress));
        return result;
    }

    /** The controller at {@code pciAddress}, or an exception naming the ones that exist. */
    public NvmeControllerInfo controller(String pciAddress) throws IOException {
        List<NvmeControllerInfo> all = controllers();
        return all.stream().filter(c -> c.pciAddress().equals(pciAddress)).findFirst()
                .orElseThrow(() -> new UnsafeDeviceException("no NVMe controller at PCI address '" + pciAddress
                        + "'; present: " + all.stream().map(NvmeControllerInfo::pciAddress).toList()));
    }

    /**
     * Checks that {@code pciAddress} names exactly one NVMe controller that holds no mount, root
     * filesystem or swap; returns it or throws {@link UnsafeDeviceException} saying why not.
     */
    public NvmeControllerInfo checkSafeToBind(String pciAddress) throws IOException {
        if (pciAddress == null || !PCI_ADDRESS.matcher(pciAddress).matches()) {
            throw new UnsafeDeviceException("a device must be named explicitly by its full PCI address"
                    + " (dddd:bb:dd.f, lower-case), not '" + pciAddress + "'");
        }
        NvmeControllerInfo c = controller(pciAddress);
        List<String> reasons = new ArrayList<>();
        for (BlockDevice b : c.blockDevices()) {
            if (b.holdsRoot()) {
                reasons.add(b.name() + " holds the root filesystem");
            }
            if (b.swap()) {
                reasons.add(b.name() + " is an active swap area");
            }
            for (String m : b.mountPoints()) {
                if (!m.equals("/")) {
                    reasons.add(b.name() + " is mounted at " + m);
                }
            }
        }
        if (!reasons.isEmpty()) {
            throw new UnsafeDeviceException("refusing to take " + pciAddress + " from its driver: "
                    + String.join("; ", reasons));
        }
        return c;
    }

    /** Moves the controller to vfio-pci after {@link #checkSafeToBind}; waits for the bind. */
    public void bindToVfio(String pciAddress) throws IOException {
        NvmeControllerInfo c = checkSafeToBind(pciAddress);
        if (c.driver().filter(VFIO_PCI::equals).isPresent()) {
            return;
        }
        Path device = roots.sys().resolve("bus/pci/devices").resolve(pciAddress);
        Files.writeString(device.resolve("driver_override"), VFIO_PCI);
        if (c.driver().isPresent()) {
            Files.writeString(device.resolve("driver/unbind"), pciAddress);
        }
        Files.writeString(roots.sys().resolve("bus/pci/drivers_probe"), pciAddress);
        awaitDriver(device, VFIO_PCI);
    }

    /** Returns a controller from vfio-pci to the kernel's nvme driver. */
    public void bindToKernel(String pciAddress) throws IOException {
        NvmeControllerInfo c = controller(pciAddress);
        Path device = roots.sys().resolve("bus/pci/devices").resolve(pciAddress);
        if (c.driver().filter(VFIO_PCI::equals).isEmpty()) {
            throw new UnsafeDeviceException(pciAddress + " is not bound to vfio-pci (driver: "
                    + c.driver().orElse("none") + ")");
        }
        Files.writeString(device.resolve("driver_override"), "\n");
        Files.writeString(device.resolve("driver/unbind"), pciAddress);
        Files.writeString(roots.sys().resolve("bus/pci/drivers_probe"), pciAddress);
        awaitDriver(device, "nvme");
    }

    private static void awaitDriver(Path device, String driver) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!linkName(device.resolve("driver")).filter(driver::equals).isPresent()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException(device.getFileName() + " did not bind to " + driver + " within 10 s (driver now: "
                        + linkName(device.resolve("driver")).orElse("none") + ")");
            }
            LockSupport.parkNanos(10_000_000);
        }
    }

    private Map<String, String> controllerNamesByAddress() throws IOException {
        Map<String, String> names = new HashMap<>();
        Path cls = roots.sys().resolve("class/nvme");
        if (!Files.isDirectory(cls)) {
            return names;
        }
        try (DirectoryStream<Path> ctrls = Files.newDirectoryStream(cls)) {
            for (Path ctrl : ctrls) {
                Optional<String> address = readTrimmed(ctrl.resolve("address"))
                        .or(() -> linkName(ctrl.resolve("device")));
                address.ifPresent(a -> names.put(a, ctrl.getFileName().toString()));
            }
        }
        return names;
    }

    /**
     * Namespaces (and their partitions) of a controller: under the controller's directory, or,
     * with native multipath, under the NVMe subsystem that lists the controller.
     */
    private List<BlockDevice> blockDevices(Path ctrl, String name, Map<String, List<String>> mounts, Set<String> swaps)
            throws IOException {
        List<Path> parents = new ArrayList<>(List.of(ctrl));
        Path subsystems = roots.sys().resolve("class/nvme-subsystem");
        if (Files.isDirectory(subsystems)) {
            try (DirectoryStream<Path> all = Files.newDirectoryStream(subsystems)) {
                for (Path subsystem : all) {
                    if (Files.exists(subsystem.resolve(name))) {
                        parents.add(subsystem);
                    }
                }
            }
        }
        List<BlockDevice> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Path parent : parents) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, "nvme*n*")) {
                for (Path ns : children) {
                    String nsName = ns.getFileName().toString();
                    if (!NAMESPACE.matcher(nsName).matches() || !Files.exists(ns.resolve("dev")) || !seen.add(nsName)) {
                        continue;
                    }
                    result.add(blockDevice(ns, mounts, swaps));
                    try (DirectoryStream<Path> parts = Files.newDirectoryStream(ns, nsName + "p*")) {
                        for (Path part : parts) {
                            result.add(blockDevice(part, mounts, swaps));
                        }
                    }
                }
            }
        }
        result.sort(Comparator.comparing(BlockDevice::name));
        return result;
    }

    private static BlockDevice blockDevice(Path dir, Map<String, List<String>> mounts, Set<String> swaps) {
        String name = dir.getFileName().toString();
        String dev = readTrimmed(dir.resolve("dev")).orElse("");
        return new BlockDevice(name, dev, List.copyOf(mounts.getOrDefault(dev, List.of())), swaps.contains(name));
    }

    /** major:minor to mount points, from /proc/self/mountinfo (field 3 and field 5). */
    private Map<String, List<String>> mountsByDevice() throws IOException {
        Map<String, List<String>> result = new HashMap<>();
        Path mountinfo = roots.proc().resolve("self/mountinfo");
        if (!Files.exists(mountinfo)) {
            throw new IOException(mountinfo + " is missing: cannot tell which devices are mounted");
        }
        for (String line : Files.readAllLines(mountinfo)) {
            String[] f = line.split(" ");
            if (f.length > 4) {
                result.computeIfAbsent(f[2], k -> new ArrayList<>()).add(unescape(f[4]));
            }
        }
        return result;
    }

    /** Kernel names of active swap devices, from /proc/swaps. */
    private Set<String> swapDevices() throws IOException {
        Set<String> result = new HashSet<>();
        Path swaps = roots.proc().resolve("swaps");
        if (!Files.exists(swaps)) {
            return result;
        }
        List<String> lines = Files.readAllLines(swaps);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String file = line.split("\\s+")[0];
            if (file.startsWith("/dev/")) {
                result.add(Path.of(file).getFileName().toString());
            }
        }
        return result;
    }

    private static String unescape(String mountPoint) {
        return mountPoint.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static Optional<String> readTrimmed(Path file) {
        try {
            return Optional.of(Files.readString(file).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> linkName(Path link) {
        try {
            return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
