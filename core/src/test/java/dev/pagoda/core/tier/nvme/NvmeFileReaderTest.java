package dev.pagoda.core.tier.nvme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.nvme.driver.ControllerOptions;
import dev.pagoda.nvme.manifest.FileExtent;
import dev.pagoda.nvme.manifest.ModelManifest;
import dev.pagoda.nvme.testing.KnownPattern;
import dev.pagoda.nvme.testing.SimulatedRig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader on the register-level simulated controller: a "file" scattered over the namespace in
 * out-of-order extents, read back through the manifest by two queue pairs.
 */
class NvmeFileReaderTest {
    private static final long MIB = 1L << 20;
    private static final long HEADER = MIB;
    // File order; namespace offsets deliberately out of order and not adjacent.
    private static final List<FileExtent> EXTENTS = List.of(
            new FileExtent(0, 9 * MIB, MIB + 4096),
            new FileExtent(MIB + 4096, 2 * MIB, 3 * MIB),
            new FileExtent(4 * MIB + 4096, 13 * MIB + 512, 2 * MIB));
    private static final long FILE_SIZE = 6 * MIB + 1234;

    private SimulatedRig rig;
    private byte[] expected;

    @BeforeEach
    void startSimulator() throws IOException {
        rig = new SimulatedRig(16 * MIB, new ControllerOptions(2, 64, Duration.ofSeconds(5)));
        expected = new byte[(int) FILE_SIZE];
        for (int f = 0; f < FILE_SIZE; f++) {
            expected[f] = KnownPattern.byteAt(namespaceOffset(f));
        }
    }

    @AfterEach
    void stopSimulator() throws IOException {
        rig.close();
    }

    private static long namespaceOffset(long fileOffset) {
        for (FileExtent e : EXTENTS) {
            if (fileOffset < e.fileOffset() + e.length()) {
                return e.namespaceOffset() + fileOffset - e.fileOffset();
            }
        }
        throw new AssertionError(fileOffset);
    }

    private ModelManifest manifest(String headerSha256, String serial) {
        return new ModelManifest("/models/m.gguf", FILE_SIZE, "0000:00:04.0", serial,
                rig.controller.identity().modelNumber(), 1, 0, HEADER, headerSha256, EXTENTS);
    }

    private ModelManifest manifest() throws Exception {
        return manifest(sha256(Arrays.copyOf(expected, (int) HEADER)), rig.controller.identity().serialNumber());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private NvmeFileReader reader() throws Exception {
        return NvmeFileReader.over(rig.controller, manifest(), "simulator", new ArrayList<>());
    }

    private void assertBytes(MemorySegment got, long fileOffset, long length) {
        assertThat(got.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE))
                .as("%d bytes at file offset %d", length, fileOffset)
                .isEqualTo(Arrays.copyOfRange(expected, (int) fileOffset, (int) (fileOffset + length)));
    }

    @Test
    void readsEveryRangeAsTheFileHoldsIt() throws Exception {
        long[][] cases = {
            {0, 1}, {0, 512}, {7, 100}, {MIB + 4095, 2}, {MIB, 8192}, {MIB + 4096 - 10, 3 * MIB + 20},
            {4 * MIB + 4096 - 1, 1}, {FILE_SIZE - 1, 1}, {FILE_SIZE - 5000, 5000}, {0, FILE_SIZE},
        };
        try (NvmeFileReader reader = reader(); Arena arena = Arena.ofConfined()) {
            long total = 0;
            for (long[] c : cases) {
                MemorySegment dst = arena.allocate(c[1]);
                reader.read(c[0], dst, c[1]);
                assertBytes(dst, c[0], c[1]);
                total += c[1];
            }
            assertThat(reader.bytesRead()).isEqualTo(total);
            assertThat(reader.size()).isEqualTo(FILE_SIZE);
            assertThat(reader.describe()).contains("/models/m.gguf").contains("2 queue pairs");
        }
    }

    @Test
    void asynchronousReadsRunOnEveryQueueAndAllArrive() throws Exception {
        try (NvmeFileReader reader = reader(); Arena arena = Arena.ofShared()) {
            MemorySegment whole = arena.allocate(FILE_SIZE);
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            pending.add(reader.readAsync(0, whole, FILE_SIZE));
            List<long[]> pieces = new ArrayList<>();
            List<MemorySegment> targets = new ArrayList<>();
            for (long at = 3; at < FILE_SIZE - 300_000; at += 777_777) {
                long[] piece = {at, 300_000};
                MemorySegment dst = arena.allocate(piece[1]);
                pieces.add(piece);
                targets.add(dst);
                pending.add(reader.readAsync(piece[0], dst, piece[1]));
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
            assertBytes(whole, 0, FILE_SIZE);
            for (int i = 0; i < pieces.size(); i++) {
                assertBytes(targets.get(i), pieces.get(i)[0], pieces.get(i)[1]);
            }
            assertThat(reader.bytesRead()).isEqualTo(FILE_SIZE + 300_000L * pieces.size());
        }
    }

    @Test
    void readsOutsideTheFileAreRefusedNamingTheFile() throws Exception {
        try (NvmeFileReader reader = reader(); Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(4096);
            assertThatThrownBy(() -> reader.read(FILE_SIZE - 10, dst, 11)).isInstanceOf(IOException.class)
                    .hasMessageContaining("/models/m.gguf").hasMessageContaining("outside the file's " + FILE_SIZE);
            assertThatThrownBy(() -> reader.readAsync(0, dst, 4097).join()).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(UncheckedIOException.class).hasMessageContaining("into 4096 bytes");
        }
    }

    @Test
    void aHeaderThatNoLongerHashesTheSameIsRefusedAtOpen() {
        String stale = "0".repeat(64);
        assertThatThrownBy(() -> NvmeFileReader.over(rig.controller,
                manifest(stale, rig.controller.identity().serialNumber()), "simulator", new ArrayList<>()))
                .isInstanceOf(IOException.class).hasMessageContaining("moved or changed");
    }

    @Test
    void anotherControllerIsRefusedAtOpen() {
        assertThatThrownBy(() -> NvmeFileReader.over(rig.controller, manifest(sha256(new byte[0]), "OTHER-SERIAL"),
                "simulator", new ArrayList<>()))
                .isInstanceOf(IOException.class).hasMessageContaining("serial 'OTHER-SERIAL'");
    }

    @Test
    void theManifestMustBelongToTheModelFile(@TempDir Path dir) throws Exception {
        Path same = Files.write(dir.resolve("same.gguf"), expected);
        NvmeFileReader.checkBelongsTo(manifest(), same);

        byte[] changed = expected.clone();
        changed[12345] ^= 1;
        Path other = Files.write(dir.resolve("other.gguf"), changed);
        assertThatThrownBy(() -> NvmeFileReader.checkBelongsTo(manifest(), other))
                .isInstanceOf(IOException.class).hasMessageContaining("recorded for another file");

        Path shorter = Files.write(dir.resolve("short.gguf"), Arrays.copyOf(expected, expected.length - 1));
        assertThatThrownBy(() -> NvmeFileReader.checkBelongsTo(manifest(), shorter))
                .isInstanceOf(IOException.class).hasMessageContaining("has " + (FILE_SIZE - 1));
    }
}
