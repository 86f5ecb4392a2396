package dev.pagoda.nvme.guest;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.pagoda.nvme.testing.GuestHarness;
import dev.pagoda.nvme.testing.GuestHarness.Run;
import dev.pagoda.nvme.testing.KnownPattern;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Boots one QEMU guest (TCG, emulated intel-iommu, two emulated NVMe controllers on scratch
 * images made here) that runs {@link GuestSuite} with this build's jar, and reports each of the
 * guest's checks as a test. The images are files under target/; nothing of the host is touched.
 */
class QemuGuestIT {
    private static final long PATTERN_DISK = 32L << 20;
    private static final String SKIPPING = "QEMU guest tests";
    private static final int GUEST_TIMEOUT_SECONDS = 300;

    @TestFactory
    Stream<DynamicTest> guestChecks() throws Exception {
        if (!System.getProperty("os.name").equals("Linux") || !System.getProperty("os.arch").equals("amd64")) {
            abort(SKIPPING + " skipped: they need Linux on x86-64");
        }
        Path module = Path.of(System.getProperty("pagoda.nvme.module", "."));
        Path jar = Path.of(System.getProperty("pagoda.nvme.jar", ""));
        if (!Files.isRegularFile(jar)) {
            fail("the module jar " + jar + " is missing: run through `./mvnw verify` (failsafe, after package)");
        }
        Path cache = Path.of(System.getProperty("pagoda.guest.cache",
                System.getProperty("user.home") + "/.cache/pagoda/nvme-guest"));
        Path guestScripts = module.resolve("src/test/guest");
        Path work = module.resolve("target/guest-run");
        GuestHarness.deleteTree(work);
        Path share = Files.createDirectories(work.resolve("share"));

        Path guest = GuestHarness.prepareGuest(guestScripts, cache, work, SKIPPING);

        Files.createDirectories(share.resolve("lib"));
        Files.copy(jar, share.resolve("lib/nvme-ffm.jar"));
        GuestHarness.copyTree(module.resolve("target/test-classes"), share.resolve("test-classes"));
        Files.writeString(share.resolve("classpath"), "/share/lib/nvme-ffm.jar:/share/test-classes");

        Path pattern = work.resolve("pattern.img");
        writePatternDisk(pattern);
        Path model = share.resolve("model.gguf");
        writeSyntheticGguf(model);
        Path ext4 = work.resolve("ext4.img");
        GuestHarness.writeExt4Disk(ext4, model, work.resolve("ext4-content"), SKIPPING);

        Run guestRun = GuestHarness.run(List.of("bash", guestScripts.resolve("run-guest.sh").toString(), guest.toString(),
                share.toString(), pattern.toString(), ext4.toString(), Integer.toString(GUEST_TIMEOUT_SECONDS)),
                work.resolve("console.log"), GUEST_TIMEOUT_SECONDS + 30);
        Path results = share.resolve("results.txt");
        if (!Files.exists(results)) {
            String javaLog = Files.exists(share.resolve("guest-java.log")) ? Files.readString(share.resolve("guest-java.log")) : "";
            fail("the guest wrote no results (qemu exit " + guestRun.exit() + "); console tail:\n" + guestRun.tail()
                    + "\nguest java log:\n" + javaLog);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(results)) {
            String[] parts = line.split(" ", 3);
            String name = "guest: " + parts[1];
            if (parts[0].equals("PASS")) {
                tests.add(DynamicTest.dynamicTest(name + " (" + parts[2] + " ms under TCG)", () -> { }));
            } else {
                String why = parts.length > 2 ? parts[2] : "";
                tests.add(DynamicTest.dynamicTest(name, () -> fail(why)));
            }
        }
        if (tests.size() < 14) {
            String log = Files.readString(share.resolve("guest-java.log"));
            tests.add(DynamicTest.dynamicTest("guest suite ran every check", () -> fail(
                    "only " + tests.size() + " checks reported; guest log:\n" + log)));
        }
        return tests.stream();
    }

    private static void writePatternDisk(Path image) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(1 << 20);
            for (long at = 0; at < PATTERN_DISK; at += chunk.byteSize()) {
                KnownPattern.fill(chunk, at);
                ByteBuffer b = chunk.asByteBuffer();
                while (b.hasRemaining()) {
                    ch.write(b, at + b.position());
                }
            }
        }
    }

    /** A file with the GGUF magic and version, then deterministic noise: odd size, several MiB. */
    private static void writeSyntheticGguf(Path file) throws IOException {
        byte[] bytes = new byte[3 * 1024 * 1024 + 4321];
        new Random(20240611L).nextBytes(bytes);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).put((byte) 'G').put((byte) 'G').put((byte) 'U')
                .put((byte) 'F').putInt(3);
        Files.write(file, bytes);
    }
}
