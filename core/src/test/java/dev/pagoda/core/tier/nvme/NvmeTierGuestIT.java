package dev.pagoda.core.tier.nvme;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.pagoda.core.synth.FileType;
import dev.pagoda.core.synth.ModelShape;
import dev.pagoda.core.synth.ModelSynthesizer;
import dev.pagoda.core.synth.SynthOptions;
import dev.pagoda.core.synth.WeightMode;
import dev.pagoda.nvme.testing.GuestHarness;
import dev.pagoda.nvme.testing.GuestHarness.Run;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Tier C through the NVMe driver, end to end, in one QEMU guest of nvme-ffm's harness (its
 * prepare-guest.sh and run-guest.sh: TCG, emulated intel-iommu, emulated NVMe controllers): a
 * small model on the ext4 filesystem of an emulated disk, its manifest recorded in the guest, the
 * controller bound to vfio-pci, and the model run on the CPU backend with budgets that send
 * layers to tier C through the driver. {@link NvmeTierGuestSuite} runs in the guest; each of its
 * checks is reported here as a test. Skips, saying why, where QEMU or the guest kernel cannot be
 * had, or with -Dpagoda.skipGuest=true.
 */
class NvmeTierGuestIT {
    private static final String SKIPPING = "NVMe tier-C guest test";
    private static final int GUEST_TIMEOUT_SECONDS = 240;

    @TestFactory
    Stream<DynamicTest> tierCThroughTheDriverInTheGuest() throws Exception {
        if (!System.getProperty("os.name").equals("Linux") || !System.getProperty("os.arch").equals("amd64")) {
            abort(SKIPPING + " skipped: it needs Linux on x86-64");
        }
        Path scripts = Path.of(System.getProperty("pagoda.guest.scripts", "../nvme-ffm/src/test/guest"));
        if (!Files.isRegularFile(scripts.resolve("run-guest.sh"))) {
            fail("nvme-ffm's guest scripts are not at " + scripts + " (system property pagoda.guest.scripts)");
        }
        Path cache = Path.of(System.getProperty("pagoda.guest.cache",
                System.getProperty("user.home") + "/.cache/pagoda/nvme-guest"));
        Path work = Path.of(System.getProperty("pagoda.guest.work", "target/nvme-tier-guest"));
        GuestHarness.deleteTree(work);
        Path share = Files.createDirectories(work.resolve("share"));

        Path guest = GuestHarness.prepareGuest(scripts, cache, work, SKIPPING);

        Files.writeString(share.resolve("classpath"), copyClasspath(share.resolve("lib")));
        Files.writeString(share.resolve("main-class"), NvmeTierGuestSuite.class.getName());
        Files.writeString(share.resolve("java-options"), "--add-modules jdk.incubator.vector");
        Path model = share.resolve("model.gguf");
        Files.writeString(share.resolve("model-name"), placeModel(model, work));

        Path ext4 = work.resolve("ext4.img");
        GuestHarness.writeExt4Disk(ext4, model, work.resolve("ext4-content"), SKIPPING);
        // run-guest.sh attaches two controllers; this test reads only the ext4 one.
        Path spare = work.resolve("spare.img");
        try (FileChannel ch = FileChannel.open(spare, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.truncate(0).write(ByteBuffer.allocate(1), (1 << 20) - 1);
        }

        Run guestRun = GuestHarness.run(List.of("bash", scripts.resolve("run-guest.sh").toString(), guest.toString(),
                share.toString(), spare.toString(), ext4.toString(), Integer.toString(GUEST_TIMEOUT_SECONDS)),
                work.resolve("console.log"), GUEST_TIMEOUT_SECONDS + 30);
        Path results = share.resolve("results.txt");
        Path javaLog = share.resolve("guest-java.log");
        String log = Files.exists(javaLog) ? Files.readString(javaLog) : "(no guest java log)";
        if (!Files.exists(results)) {
            fail("the guest wrote no results (qemu exit " + guestRun.exit() + "); console tail:\n" + guestRun.tail()
                    + "\nguest java log:\n" + log);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(results)) {
            String[] parts = line.split(" ", 3);
            String name = "guest: " + parts[1];
            String detail = parts.length > 2 ? parts[2] : "";
            if (parts[0].equals("PASS")) {
                tests.add(DynamicTest.dynamicTest(name + " (" + detail + ")", () -> { }));
            } else {
                tests.add(DynamicTest.dynamicTest(name, () -> fail(detail)));
            }
        }
        if (tests.size() < NvmeTierGuestSuite.CHECKS) {
            tests.add(DynamicTest.dynamicTest("guest suite ran every check", () -> fail(
                    "only " + tests.size() + " of " + NvmeTierGuestSuite.CHECKS + " checks reported; guest log:\n" + log)));
        }
        return tests.stream();
    }

    /**
     * stories260K from the reference data when present (as in CI), else the synthetic {@code tiny}
     * Llama in Q8_0 written here; returns which.
     */
    private static String placeModel(Path target, Path work) throws IOException {
        String shared = System.getProperty("pagoda.shared");
        Path stories = shared == null ? null : Path.of(shared, "reference", "models", "stories260K.gguf");
        if (stories != null && Files.isRegularFile(stories)) {
            Files.copy(stories, target);
            return "stories260K";
        }
        SynthOptions options = new SynthOptions(ModelShape.TINY, FileType.of("q8_0").orElseThrow(), 11,
                WeightMode.FAST, 2);
        ModelSynthesizer.write(options, target);
        return "synthetic tiny Q8_0";
    }

    /** The test classpath (what failsafe runs this with), copied into the share; the guest's classpath. */
    private static String copyClasspath(Path lib) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Files.createDirectories(lib);
        List<String> guestEntries = new ArrayList<>();
        int i = 0;
        for (String entry : classpath.split(File.pathSeparator)) {
            Path from = Path.of(entry);
            String name = from.getFileName().toString();
            if (!Files.exists(from) || name.startsWith("junit-") || name.startsWith("assertj-")
                    || name.startsWith("opentest4j") || name.startsWith("apiguardian") || name.startsWith("surefire")
                    || name.startsWith("byte-buddy")) {
                continue;
            }
            String target = (i++) + "-" + name;
            if (Files.isDirectory(from)) {
                GuestHarness.copyTree(from, lib.resolve(target));
            } else {
                Files.copy(from, lib.resolve(target));
            }
            guestEntries.add("/share/lib/" + target);
        }
        return String.join(":", guestEntries);
    }
}
