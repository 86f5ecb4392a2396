package dev.pagoda.core.tier.nvme;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.tier.Tier;
import dev.pagoda.core.tier.TierPlan;
import dev.pagoda.core.tier.TierStats;
import dev.pagoda.nvme.admin.BlockDevice;
import dev.pagoda.nvme.admin.NvmeControllerInfo;
import dev.pagoda.nvme.admin.NvmeInventory;
import dev.pagoda.nvme.admin.SystemRoots;
import dev.pagoda.nvme.manifest.ManifestBuilder;
import dev.pagoda.nvme.manifest.ModelManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside the QEMU guest as its only program (no JUnit there; {@link NvmeTierGuestIT} reports
 * the lines it writes to results.txt on the 9p share). The model is /mnt/model.gguf on the ext4
 * partition of the controller with serial PAGODA-EXT4, and the same bytes are /share/model.gguf,
 * which is copied into the guest's memory and read normally for the comparison.
 */
public final class NvmeTierGuestSuite {
    /** Checks {@link #runAll} reports. */
    static final int CHECKS = 8;
    private static final int CONTEXT = 64;
    private static final int PROMPT = 10;
    private static final int DECODE = 3;

    private final Path share;
    private final List<String> results = new ArrayList<>();
    private final NvmeInventory inventory = new NvmeInventory(SystemRoots.live());
    private final Path model = Path.of("/tmp/model.gguf");
    private final Path manifestFile;
    private NvmeControllerInfo disk;
    private ModelManifest manifest;

    private NvmeTierGuestSuite(Path share) {
        this.share = share;
        this.manifestFile = share.resolve("model.manifest");
    }

    interface Check {
        /** Runs the check; returns a detail for the report (what was measured), or "". */
        String run() throws Exception;
    }

    public static void main(String[] args) throws IOException {
        NvmeTierGuestSuite suite = new NvmeTierGuestSuite(Path.of(args[0]));
        try {
            suite.runAll();
        } finally {
            Files.write(suite.share.resolve("results.txt"), suite.results);
        }
    }

    private void check(String name, Check check) {
        long start = System.nanoTime();
        try {
            String detail = check.run();
            results.add("PASS " + name + " " + (System.nanoTime() - start) / 1_000_000 + " ms under TCG"
                    + (detail.isEmpty() ? "" : "; " + detail));
        } catch (Throwable t) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            System.out.println("FAIL " + name + "\n" + trace);
            results.add("FAIL " + name + " " + (t + " | " + trace.toString().lines().skip(1).limit(8).toList())
                    .replace('\n', ' '));
        }
        System.out.println(results.getLast());
    }

    private void runAll() throws IOException {
        Files.copy(share.resolve("model.gguf"), model);
        check("findsTheModelDiskOnTheNvmeDriver", () -> {
            disk = awaitDisk();
            require(disk.driver().orElse("").equals("nvme"), "driver " + disk.driver());
            return disk.pciAddress();
        });
        check("recordsTheModelManifestOnTheMountedFilesystem", () -> {
            exec("mkdir", "-p", "/mnt");
            exec("mount", "-t", "ext4", "-o", "ro", "/dev/" + partition(disk).name(), "/mnt");
            try {
                manifest = new ManifestBuilder(SystemRoots.live()).build(Path.of("/mnt/model.gguf"));
                manifest.write(manifestFile);
            } finally {
                exec("umount", "/mnt");
            }
            require(manifest.fileSize() == Files.size(model), "size " + manifest.fileSize());
            return manifest.fileSize() + " bytes in " + manifest.extents().size() + " extent(s)";
        });
        check("bindsTheControllerToVfioPci", () -> {
            inventory.bindToVfio(disk.pciAddress());
            require(inventory.controller(disk.pciAddress()).driver().orElse("").equals("vfio-pci"), "not on vfio-pci");
            return "";
        });
        check("refusesTheManifestForAnotherFile", () -> {
            byte[] bytes = Files.readAllBytes(model);
            bytes[100] ^= 1;
            Path other = Files.write(Path.of("/tmp/other.gguf"), bytes);
            try {
                NvmeFileReader.open(other, manifest, 1).close();
                throw new AssertionError("a manifest for another file was accepted");
            } catch (IOException e) {
                require(e.getMessage().contains("recorded for another file"), e.getMessage());
                return "";
            }
        });
        check("readsTheModelFileThroughTheDriverAsItIs", () -> {
            byte[] expected = Files.readAllBytes(model);
            try (NvmeFileReader reader = NvmeFileReader.open(model, manifest, 2); Arena arena = Arena.ofShared()) {
                MemorySegment whole = arena.allocate(reader.size());
                reader.read(0, whole, reader.size());
                require(Arrays.equals(whole.toArray(ValueLayout.JAVA_BYTE), expected), "whole file differs");
                List<CompletableFuture<Void>> pending = new ArrayList<>();
                List<MemorySegment> pieces = new ArrayList<>();
                long piece = 100_003;
                for (long at = 0; at + piece <= reader.size(); at += piece) {
                    MemorySegment dst = arena.allocate(piece);
                    pieces.add(dst);
                    pending.add(reader.readAsync(at, dst, piece));
                }
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                for (int i = 0; i < pieces.size(); i++) {
                    int from = (int) (i * piece);
                    require(Arrays.equals(pieces.get(i).toArray(ValueLayout.JAVA_BYTE),
                            Arrays.copyOfRange(expected, from, (int) (from + piece))), "piece " + i + " differs");
                }
                return reader.describe() + "; " + pieces.size() + " asynchronous reads spread over the queues";
            }
        });
        check("runsTheModelWithTierCLayersThroughTheDriverWithIdenticalLogits", this::compareLogits);
        check("bindsTheControllerBackAndTheFileIsUnchanged", () -> {
            inventory.bindToKernel(disk.pciAddress());
            disk = awaitDisk();
            exec("mount", "-t", "ext4", "-o", "ro", "/dev/" + partition(disk).name(), "/mnt");
            try {
                require(Arrays.equals(Files.readAllBytes(Path.of("/mnt/model.gguf")), Files.readAllBytes(model)),
                        "the model file changed");
            } finally {
                exec("umount", "/mnt");
            }
            return "";
        });
        check("refusesTierCThroughTheDriverWhenTheControllerIsOnTheKernel", () -> {
            try (Model m = budgeted(Model.builder(model)).nvme(manifestFile).open()) {
                throw new AssertionError("opened through a controller the kernel owns: " + m.tierPlan());
            } catch (IOException e) {
                require(e.getMessage().contains("pagoda nvme bind " + disk.pciAddress()), e.getMessage());
                return "";
            }
        });
    }

    /**
     * The model read normally and resident, against the same model with a device budget of the
     * minimum and a host budget of two staging buffers and the smallest layer, so that all or all
     * but one of its layers are tier C, read through the driver every pass.
     */
    private String compareLogits() throws Exception {
        Run resident;
        int[] tokens;
        try (Model m = builder(model).open()) {
            tokens = new SplittableRandom(7).ints(PROMPT + DECODE, 0, m.config().vocabSize()).toArray();
            resident = stableRun(m, tokens);
        }
        try (Model m = budgeted(builder(model)).nvme(manifestFile).open()) {
            TierPlan plan = m.tierPlan().orElseThrow();
            require(plan.layerCount(Tier.C) >= Math.max(2, plan.layerCount() - 1),
                    "only " + plan.layerCount(Tier.C) + " of " + plan.layerCount() + " layers in tier C");
            Run streamed = stableRun(m, tokens);
            requireBitsEqual(streamed.prompt(), resident.prompt(), "prompt");
            requireBitsEqual(streamed.decoded(), resident.decoded(), "decoded");
            TierStats s = streamed.stats();
            require(s.tierCBytes() == s.passes() * plan.layerBytes(Tier.C) && s.tierCBytes() > 0,
                    "tier C bytes " + s.tierCBytes() + " over " + s.passes() + " passes");
            return Files.readString(share.resolve("model-name")) + ": " + plan.layerCount(Tier.C) + " of "
                    + plan.layerCount() + " layers tier C, " + s.tierCBytes() + " bytes through the driver in "
                    + s.passes() + " passes, " + (PROMPT + DECODE) + " positions of logits bit-identical";
        }
    }

    private static Model.Builder builder(Path model) {
        return Model.builder(model).backend(Backend.CPU).contextLength(CONTEXT).batchSize(PROMPT).threads(1);
    }

    private Model.Builder budgeted(Model.Builder b) throws IOException {
        return TierCBudgets.apply(b, model, CONTEXT, PROMPT);
    }

    /** Logits of the prompt as one batch (every row), then of each decoded token. */
    private record Run(float[][] prompt, float[][] decoded, TierStats stats) {}

    private static Run run(Model m, int[] tokens) {
        TierStats before = m.tierStats();
        Session s = m.newSession();
        float[][] prompt = s.feedAll(Arrays.copyOf(tokens, PROMPT));
        float[][] decoded = new float[DECODE][];
        for (int i = 0; i < DECODE; i++) {
            decoded[i] = s.feed(tokens[PROMPT + i]);
        }
        return new Run(prompt, decoded, m.tierStats().since(before));
    }

    /**
     * A run repeated until two in a row agree bit for bit: the Vector API's float reductions may
     * sum lanes in another order once compiled, so only runs under the same compiled kernels are
     * compared (the guest's C1-only JVM normally agrees at once).
     */
    private static Run stableRun(Model m, int[] tokens) {
        Run last = run(m, tokens);
        for (int attempt = 0; attempt < 4; attempt++) {
            Run again = run(m, tokens);
            if (bitsEqual(again.prompt(), last.prompt()) && bitsEqual(again.decoded(), last.decoded())) {
                return again;
            }
            last = again;
        }
        throw new AssertionError("the same model gave different logits in 5 runs in a row");
    }

    private static boolean bitsEqual(float[][] a, float[][] b) {
        for (int r = 0; r < a.length; r++) {
            for (int i = 0; i < a[r].length; i++) {
                if (Float.floatToRawIntBits(a[r][i]) != Float.floatToRawIntBits(b[r][i])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void requireBitsEqual(float[][] actual, float[][] expected, String what) {
        for (int r = 0; r < expected.length; r++) {
            for (int i = 0; i < expected[r].length; i++) {
                require(Float.floatToRawIntBits(actual[r][i]) == Float.floatToRawIntBits(expected[r][i]),
                        what + " row " + r + " logit " + i + ": " + actual[r][i] + " read through the driver, "
                                + expected[r][i] + " read normally");
            }
        }
    }

    private NvmeControllerInfo awaitDisk() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            for (NvmeControllerInfo c : inventory.controllers()) {
                if (c.serial().equals("PAGODA-EXT4") && c.blockDevices().stream().anyMatch(b -> b.name().endsWith("p1"))) {
                    return c;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the PAGODA-EXT4 controller and its partition did not appear: "
                        + inventory.controllers());
            }
            Thread.sleep(100);
        }
    }

    private static BlockDevice partition(NvmeControllerInfo c) {
        return c.blockDevices().stream().filter(b -> b.name().endsWith("p1")).findFirst().orElseThrow();
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
