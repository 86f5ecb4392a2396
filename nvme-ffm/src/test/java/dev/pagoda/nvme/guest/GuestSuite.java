package dev.pagoda.nvme.guest;

import dev.pagoda.nvme.admin.BlockDevice;
import dev.pagoda.nvme.admin.NvmeControllerInfo;
import dev.pagoda.nvme.admin.NvmeInventory;
import dev.pagoda.nvme.admin.SystemRoots;
import dev.pagoda.nvme.admin.UnsafeDeviceException;
import dev.pagoda.nvme.dma.DmaAllocator;
import dev.pagoda.nvme.dma.DmaRegion;
import dev.pagoda.nvme.driver.CompletionStatus;
import dev.pagoda.nvme.driver.ControllerOptions;
import dev.pagoda.nvme.driver.LbaOutOfRangeException;
import dev.pagoda.nvme.driver.NvmeCommandException;
import dev.pagoda.nvme.driver.NvmeController;
import dev.pagoda.nvme.driver.QueuePair;
import dev.pagoda.nvme.driver.RegisterFile;
import dev.pagoda.nvme.manifest.ExtentMappedSource;
import dev.pagoda.nvme.manifest.ManifestBuilder;
import dev.pagoda.nvme.manifest.ModelManifest;
import dev.pagoda.nvme.source.NamespaceReader;
import dev.pagoda.nvme.testing.KnownPattern;
import dev.pagoda.nvme.vfio.IommuMode;
import dev.pagoda.nvme.vfio.VfioPciDevice;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside the QEMU guest as the only program (no JUnit there): drives the real emulated NVMe
 * controllers through vfio-pci and writes one line per check to results.txt on the 9p share,
 * which the host-side QemuGuestIT turns into test results. Checks run in order and later ones
 * build on earlier ones; a failure is recorded and the rest still run where they can.
 */
public final class GuestSuite {
    private static final long PATTERN_DISK = 32L << 20;

    private final Path share;
    private final List<String> results = new ArrayList<>();
    private final NvmeInventory inventory = new NvmeInventory(SystemRoots.live());
    private NvmeControllerInfo patternDisk;
    private NvmeControllerInfo ext4Disk;
    private ModelManifest manifest;

    private GuestSuite(Path share) {
        this.share = share;
    }

    interface Check {
        void run() throws Exception;
    }

    public static void main(String[] args) throws IOException {
        GuestSuite suite = new GuestSuite(Path.of(args[0]));
        try {
            suite.runAll();
        } finally {
            Files.write(suite.share.resolve("results.txt"), suite.results);
        }
    }

    private void check(String name, Check check) {
        long start = System.nanoTime();
        try {
            check.run();
            results.add("PASS " + name + " " + (System.nanoTime() - start) / 1_000_000);
        } catch (Throwable t) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            System.out.println("FAIL " + name + "\n" + trace);
            results.add("FAIL " + name + " " + (t + " | " + trace.toString().lines().skip(1).limit(6).toList())
                    .replace('\n', ' '));
        }
        System.out.println(results.getLast());
    }

    private void runAll() throws IOException {
        check("inventoryListsBothControllersOnTheNvmeDriver", () -> {
            awaitNamespaces();
            List<NvmeControllerInfo> all = inventory.controllers();
            patternDisk = all.stream().filter(c -> c.serial().equals("PAGODA-PATTERN")).findFirst().orElseThrow();
            ext4Disk = all.stream().filter(c -> c.serial().equals("PAGODA-EXT4")).findFirst().orElseThrow();
            require(patternDisk.driver().orElse("").equals("nvme"), "pattern disk driver " + patternDisk.driver());
            require(ext4Disk.blockDevices().stream().anyMatch(b -> b.name().endsWith("p1")),
                    "ext4 disk partitions " + ext4Disk.blockDevices());
        });
        check("mountsTheExt4PartitionReadOnly", () -> {
            exec("mkdir", "-p", "/mnt");
            exec("mount", "-t", "ext4", "-o", "ro", "/dev/" + partition(ext4Disk).name(), "/mnt");
            require(Files.exists(Path.of("/mnt/model.gguf")), "/mnt/model.gguf missing");
        });
        check("refusesToBindAMountedDevice", () -> {
            try {
                inventory.checkSafeToBind(ext4Disk.pciAddress());
                throw new AssertionError("mounted device was accepted");
            } catch (UnsafeDeviceException e) {
                require(e.getMessage().contains("mounted at /mnt"), e.getMessage());
            }
        });
        check("refusesADeviceNotNamedExplicitly", () -> {
            for (String name : Arrays.asList(null, "", "nvme0", "all", "0000:00:04")) {
                try {
                    inventory.checkSafeToBind(name);
                    throw new AssertionError("accepted '" + name + "'");
                } catch (UnsafeDeviceException e) {
                    require(e.getMessage().contains("named explicitly"), e.getMessage());
                }
            }
        });
        check("recordsTheManifestWithFiemapAndPartitionStart", () -> {
            manifest = new ManifestBuilder(SystemRoots.live()).build(Path.of("/mnt/model.gguf"));
            manifest.write(share.resolve("model.manifest"));
            require(manifest.partitionStart() == 1L << 20, "partition start " + manifest.partitionStart());
            require(manifest.serial().equals("PAGODA-EXT4"), "serial " + manifest.serial());
            require(manifest.pciAddress().equals(ext4Disk.pciAddress()), "pci " + manifest.pciAddress());
            require(manifest.fileSize() == Files.size(share.resolve("model.gguf")), "size " + manifest.fileSize());
            require(ModelManifest.read(share.resolve("model.manifest")).equals(manifest), "manifest round trip");
        });
        check("unmountsTheExt4Partition", () -> exec("umount", "/mnt"));
        check("bindsThePatternControllerToVfioPci", () -> {
            inventory.bindToVfio(patternDisk.pciAddress());
            require(inventory.controller(patternDisk.pciAddress()).driver().orElse("").equals("vfio-pci"), "not on vfio-pci");
        });
        check("wrapsAroundADepthFourQueue", () -> withController(patternDisk, new ControllerOptions(1, 4, Duration.ofSeconds(10)), c -> {
            NamespaceReader reader = new NamespaceReader(c, 1, 0, 3, 4096);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment dst = arena.allocate(4096 * 24);
                for (long at : new long[] {0, 123_456, 7_777_777}) {
                    reader.read(at, dst, dst.byteSize());
                    requireMatch(dst, at, dst.byteSize());
                }
            }
        }));
        check("identifiesControllerAndNamespace", () -> withController(patternDisk, ControllerOptions.defaults(), c -> {
            require(c.identity().serialNumber().equals("PAGODA-PATTERN"), "serial " + c.identity().serialNumber());
            require(c.identity().mdts() == 7, "MDTS " + c.identity().mdts());
            require(c.capabilities().minPageSize() == 4096, "MPSMIN " + c.capabilities().minPageSize());
            require(c.namespace(1).byteSize() == PATTERN_DISK, "namespace bytes " + c.namespace(1).byteSize());
            require(c.namespace(1).blockSize() == 512, "block size " + c.namespace(1).blockSize());
        }));
        check("readsKnownPatternsAtManyOffsetsAndSizes", () -> withController(patternDisk, ControllerOptions.defaults(), c -> {
            NamespaceReader reader = new NamespaceReader(c, 1, 0, 16, c.maxTransferBytes());
            long[][] cases = {
                {0, 512}, {512, 1}, {7, 100}, {4095, 2}, {4096, 4096}, {1000, 4096}, {100, 8192},
                {12288, 3 * 4096}, {4096 * 5 + 17, 40_000}, {33, 512 * 1024}, {0, 512 * 1024 + 4096},
                {1 << 20, 2 << 20}, {PATTERN_DISK - 512, 512}, {PATTERN_DISK - 1, 1},
            };
            try (Arena arena = Arena.ofConfined()) {
                for (long[] k : cases) {
                    MemorySegment dst = arena.allocate(k[1]);
                    reader.read(k[0], dst, k[1]);
                    requireMatch(dst, k[0], k[1]);
                }
            }
        }));
        check("keepsManyCommandsInFlight", () -> withController(patternDisk, ControllerOptions.defaults(), c -> {
            QueuePair q = c.ioQueue(1);
            DmaRegion buffer = c.dma().allocate(96 * 4096);
            for (int i = 0; i < 96; i++) {
                q.submitRead(1, i * 61L, 8, buffer, i * 4096L, 4096, i);
            }
            require(q.inFlight() == 96, "in flight " + q.inFlight());
            int[] done = new int[96];
            q.drain((tag, status, cid) -> {
                if (!CompletionStatus.isSuccess(status)) {
                    throw CompletionStatus.decode(status).toException(q.describe(cid));
                }
                done[tag]++;
            });
            for (int i = 0; i < 96; i++) {
                require(done[i] == 1, "command " + i + " completed " + done[i] + " times");
                requireMatch(buffer.segment().asSlice(i * 4096L, 4096), i * 61L * 512, 4096);
            }
        }));
        check("outOfRangeReadIsLbaOutOfRange", () -> withController(patternDisk, ControllerOptions.defaults(), c -> {
            QueuePair q = c.ioQueue(0);
            DmaRegion buffer = c.dma().allocate(4096);
            q.submitRead(1, PATTERN_DISK / 512 - 2, 8, buffer, 0, 4096, 0);
            NvmeCommandException[] error = new NvmeCommandException[1];
            q.drain((tag, status, cid) -> error[0] = CompletionStatus.isSuccess(status) ? null
                    : CompletionStatus.decode(status).toException(q.describe(cid)));
            require(error[0] instanceof LbaOutOfRangeException, "got " + error[0]);
        }));
        check("shutsDownCleanlyOnClose", () -> {
            try (VfioPciDevice device = VfioPciDevice.open(patternDisk.pciAddress());
                 DmaAllocator dma = device.dmaAllocator()) {
                require(device.mode() == IommuMode.TYPE1, "mode " + device.mode());
                device.enableBusMastering();
                NvmeController c = NvmeController.start(new RegisterFile(device.bar0()), dma, ControllerOptions.defaults());
                require(!c.shutdownComplete(), "shutdown before close");
                c.close();
                require(c.shutdownComplete(), "CSTS.SHST not complete after close");
            }
        });
        check("readsTheModelFileThroughItsManifestExtents", () -> {
            require(manifest != null, "no manifest from the earlier check");
            inventory.bindToVfio(ext4Disk.pciAddress());
            withController(ext4Disk, ControllerOptions.defaults(), c -> {
                NamespaceReader reader = NamespaceReader.withDefaults(c, manifest.nsid(), 0);
                ExtentMappedSource source = ExtentMappedSource.open(manifest, reader,
                        c.identity().serialNumber(), c.identity().modelNumber());
                byte[] expected = Files.readAllBytes(share.resolve("model.gguf"));
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment dst = arena.allocate(source.size());
                    source.read(0, dst, source.size());
                    require(Arrays.equals(dst.toArray(ValueLayout.JAVA_BYTE), expected), "file bytes differ");
                    MemorySegment middle = arena.allocate(70_001);
                    source.read(1_234_567, middle, 70_001);
                    require(Arrays.equals(middle.toArray(ValueLayout.JAVA_BYTE),
                            Arrays.copyOfRange(expected, 1_234_567, 1_234_567 + 70_001)), "middle slice differs");
                }
            });
        });
        check("bindsBothControllersBackToTheKernel", () -> {
            inventory.bindToKernel(patternDisk.pciAddress());
            inventory.bindToKernel(ext4Disk.pciAddress());
            require(inventory.controller(patternDisk.pciAddress()).driver().orElse("").equals("nvme"), "pattern disk");
            require(inventory.controller(ext4Disk.pciAddress()).driver().orElse("").equals("nvme"), "ext4 disk");
        });
    }

    interface ControllerCheck {
        void run(NvmeController c) throws Exception;
    }

    private static void withController(NvmeControllerInfo info, ControllerOptions options, ControllerCheck check)
            throws Exception {
        try (VfioPciDevice device = VfioPciDevice.open(info.pciAddress());
             DmaAllocator dma = device.dmaAllocator()) {
            device.enableBusMastering();
            try (NvmeController c = NvmeController.start(new RegisterFile(device.bar0()), dma, options)) {
                check.run(c);
            }
        }
    }

    private void awaitNamespaces() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<NvmeControllerInfo> all = inventory.controllers();
            long withPartitions = all.stream().filter(c -> c.blockDevices().stream().anyMatch(b -> b.name().endsWith("p1"))).count();
            if (all.size() >= 2 && withPartitions >= 1) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("NVMe controllers did not appear: " + all);
            }
            Thread.sleep(100);
        }
    }

    private static BlockDevice partition(NvmeControllerInfo c) {
        return c.blockDevices().stream().filter(b -> b.name().endsWith("p1")).findFirst().orElseThrow();
    }

    private static void requireMatch(MemorySegment data, long start, long length) {
        long bad = KnownPattern.firstMismatch(data, start, length);
        require(bad < 0, "pattern mismatch at +" + bad + " of a " + length + "-byte read at " + start);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
