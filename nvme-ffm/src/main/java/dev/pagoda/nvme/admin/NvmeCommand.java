package dev.pagoda.nvme.admin;

import dev.pagoda.nvme.dma.DmaAllocator;
import dev.pagoda.nvme.driver.ControllerOptions;
import dev.pagoda.nvme.driver.NvmeController;
import dev.pagoda.nvme.driver.RegisterFile;
import dev.pagoda.nvme.manifest.ManifestBuilder;
import dev.pagoda.nvme.manifest.ModelManifest;
import dev.pagoda.nvme.source.NamespaceReader;
import dev.pagoda.nvme.vfio.VfioPciDevice;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code pagoda nvme …}: list controllers, bind one to vfio-pci and back, record a model's
 * manifest, and measure raw read bandwidth. Every command that takes a device from the kernel
 * names it by PCI address and passes {@link NvmeInventory#checkSafeToBind} first.
 */
public final class NvmeCommand {
    private NvmeCommand() {}

    private static final String USAGE = """
            usage: pagoda nvme list
                   pagoda nvme manifest <model.gguf> <manifest.txt>   (while the device is on the nvme driver)
                   pagoda nvme bind <pci-address>                      (refused if mounted, root or swap)
                   pagoda nvme unbind <pci-address>                    (back to the nvme driver)
                   pagoda nvme read-bandwidth <pci-address> <nsid> <MiB> <queue-depth>...   (device on vfio-pci)
            """;

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the process exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        NvmeInventory inventory = new NvmeInventory(SystemRoots.live());
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        try {
            switch (args[0]) {
                case "list" -> {
                    for (NvmeControllerInfo c : inventory.controllers()) {
                        out.printf("%s  %-8s driver=%-9s serial=%s model=%s%s%n", c.pciAddress(), c.name().orElse("-"),
                                c.driver().orElse("none"), c.serial(), c.model(), c.inUse() ? "  IN USE" : "");
                        for (BlockDevice b : c.blockDevices()) {
                            out.printf("    %-12s %s%s%s%n", b.name(), b.mountPoints().isEmpty() ? "" : "mounted at " + b.mountPoints(),
                                    b.holdsRoot() ? " ROOT FILESYSTEM" : "", b.swap() ? " SWAP" : "");
                        }
                    }
                }
                case "manifest" -> {
                    require(args, 3);
                    ModelManifest m = new ManifestBuilder(SystemRoots.live()).build(Path.of(args[1]));
                    m.write(Path.of(args[2]));
                    out.printf("%s: %d bytes in %d extents on %s (serial %s, nsid %d)%n", m.file(), m.fileSize(),
                            m.extents().size(), m.pciAddress(), m.serial(), m.nsid());
                }
                case "bind" -> {
                    require(args, 2);
                    inventory.bindToVfio(args[1]);
                    out.println(args[1] + " is bound to vfio-pci");
                }
                case "unbind" -> {
                    require(args, 2);
                    inventory.bindToKernel(args[1]);
                    out.println(args[1] + " is back on the nvme driver");
                }
                case "read-bandwidth" -> {
                    require(args, 5);
                    readBandwidth(args, out);
                }
                default -> {
                    err.print(USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (UnsafeDeviceException | IllegalArgumentException e) {
            err.println("pagoda nvme: " + e.getMessage());
            return 1;
        }
    }

    /** Sequential reads of the first MiB of the namespace at each queue depth, 128 KiB per command. */
    private static void readBandwidth(String[] args, PrintStream out) throws Exception {
        String address = args[1];
        int nsid = Integer.parseInt(args[2]);
        long bytes = Long.parseLong(args[3]) << 20;
        try (VfioPciDevice device = VfioPciDevice.open(address); DmaAllocator dma = device.dmaAllocator()) {
            device.enableBusMastering();
            try (NvmeController c = NvmeController.start(new RegisterFile(device.bar0()), dma,
                    new ControllerOptions(1, 1024, Duration.ofSeconds(10)));
                 Arena arena = Arena.ofConfined()) {
                MemorySegment dst = arena.allocate(bytes, 4096);
                long chunk = Math.min(128 * 1024, c.maxTransferBytes());
                for (int i = 4; i < args.length; i++) {
                    int depth = Integer.parseInt(args[i]);
                    NamespaceReader reader = new NamespaceReader(c, nsid, 0, depth, chunk);
                    reader.read(0, dst, Math.min(bytes, 64L << 20));
                    long start = System.nanoTime();
                    reader.read(0, dst, bytes);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    out.printf("queue depth %4d: %8.1f MB/s (%d MiB in %.3f s, %d KiB per command)%n", depth,
                            bytes / seconds / 1e6, bytes >> 20, seconds, chunk >> 10);
                }
            }
        }
    }

    private static void require(String[] args, int count) {
        if (args.length < count) {
            throw new IllegalArgumentException(args[0] + " needs " + (count - 1) + " argument(s)\n" + USAGE);
        }
    }
}
