package dev.pagoda.nvme.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The host side of a QEMU guest test (nvme-ffm's QemuGuestIT, core's NvmeTierGuestIT): running
 * the guest scripts with a log and a time limit, and making the disk images and the 9p share.
 * Failures fail the calling test; a missing host tool skips it, the message starting with
 * {@code skipping}, which names the test being skipped.
 */
public final class GuestHarness {
    /** The ext4 disk image's size; its one partition starts at {@link #PARTITION_START}. */
    private static final long EXT4_DISK = 64L << 20;
    private static final long PARTITION_START = 1L << 20;

    private GuestHarness() {}

    /** A finished command: its exit status (124 when it ran past its limit) and its output. */
    public record Run(int exit, Path log) {
        /** The last 40 lines of output. */
        public String tail() throws IOException {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }

        /** The last output line that is an absolute path (what prepare-guest.sh prints last). */
        public String lastLine() throws IOException {
            return Files.readAllLines(log).stream().filter(l -> l.startsWith("/")).toList().getLast();
        }
    }

    /** Runs {@code command} with stdout and stderr to {@code log}; past the limit, kills it and its children. */
    public static Run run(List<String> command, Path log, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            return new Run(124, log);
        }
        return new Run(p.exitValue(), log);
    }

    /**
     * Runs prepare-guest.sh from {@code scripts} (the guest kernel and initramfs, cached in
     * {@code cache}) and returns the guest directory it prints; skips the test where the script
     * says the guest cannot be had (exit 3).
     */
    public static Path prepareGuest(Path scripts, Path cache, Path work, String skipping) throws Exception {
        Run prepare = run(List.of("bash", scripts.resolve("prepare-guest.sh").toString(), cache.toString(),
                System.getProperty("java.home")), work.resolve("prepare.log"), 900);
        if (prepare.exit == 3) {
            abort(skipping + " skipped: " + prepare.tail());
        }
        if (prepare.exit != 0) {
            fail("preparing the guest failed (exit " + prepare.exit + "): " + prepare.tail());
        }
        return Path.of(prepare.lastLine());
    }

    /**
     * An MBR with one Linux partition at 1 MiB holding ext4 made by mkfs.ext4 -d from
     * {@code content}: a file first, then {@code model} as model.gguf.
     */
    public static void writeExt4Disk(Path image, Path model, Path content, String skipping) throws Exception {
        Files.createDirectories(content);
        // A file before the model, so that the model does not start at the partition's first block.
        Files.write(content.resolve("aaa-first.bin"), new byte[300_000]);
        Files.copy(model, content.resolve("model.gguf"));
        long partitionBytes = EXT4_DISK - PARTITION_START;
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer mbr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
            mbr.position(446);
            mbr.put((byte) 0).put(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF}).put((byte) 0x83)
                    .put(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF})
                    .putInt((int) (PARTITION_START / 512)).putInt((int) (partitionBytes / 512));
            mbr.position(510);
            mbr.put((byte) 0x55).put((byte) 0xAA);
            mbr.flip();
            ch.write(mbr, 0);
            ch.write(ByteBuffer.allocate(1), EXT4_DISK - 1);
        }
        String mkfs = Stream.of("/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4").filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst().orElse(null);
        if (mkfs == null) {
            abort(skipping + " skipped: mkfs.ext4 (e2fsprogs) is missing");
        }
        Run made = run(List.of(mkfs, "-q", "-F", "-E", "offset=" + PARTITION_START, "-d", content.toString(),
                image.toString(), (partitionBytes >> 10) + "k"), image.resolveSibling("mkfs.log"), 120);
        if (made.exit != 0) {
            fail("mkfs.ext4 failed: " + made.tail());
        }
    }

    /** Copies the tree under {@code from} to {@code to}, replacing files already there. */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Deletes {@code root} and everything under it; nothing where it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
