package dev.pagoda.nvme.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.nvme.source.BlockSource;
import dev.pagoda.nvme.source.FileChannelSource;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManifestTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsThroughItsTextForm() throws IOException {
        ModelManifest m = new ModelManifest("/mnt/model.gguf", 10_000, "0000:00:05.0", "SN1", "Model X", 1, 1 << 20,
                4096, "ab".repeat(32), List.of(new FileExtent(0, 5_000_000, 8192), new FileExtent(8192, 1_000_000, 4096)));
        m.write(dir.resolve("m.txt"));
        assertThat(ModelManifest.read(dir.resolve("m.txt"))).isEqualTo(m);
    }

    @Test
    void refusesGapsShortCoverageAndMalformedFiles() throws IOException {
        assertThatThrownBy(() -> new ModelManifest("f", 100, "a", "s", "m", 1, 0, 10, "x",
                List.of(new FileExtent(0, 0, 50), new FileExtent(60, 100, 40))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gap at file offset 50");
        assertThatThrownBy(() -> new ModelManifest("f", 100, "a", "s", "m", 1, 0, 10, "x", List.of(new FileExtent(0, 0, 50))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cover 50 of 100");
        Files.writeString(dir.resolve("bad.txt"), "format pagoda-nvme-extents/1\nfile f\n");
        assertThatThrownBy(() -> ModelManifest.read(dir.resolve("bad.txt")))
                .isInstanceOf(IOException.class).hasMessageContaining("lacks the 'file-size' line");
    }

    /** Maps file offsets through scattered extents of a "namespace" file and checks the header hash. */
    @Test
    void extentMappedSourceReassemblesTheFileAndChecksItsHeader() throws IOException {
        byte[] file = new byte[50_000];
        new Random(1).nextBytes(file);
        byte[] namespace = new byte[200_000];
        System.arraycopy(file, 0, namespace, 150_000, 20_000);
        System.arraycopy(file, 20_000, namespace, 10_000, 30_000);
        Files.write(dir.resolve("ns.img"), namespace);
        ModelManifest m = new ModelManifest("model", file.length, "0000:00:05.0", "SN", "MN", 1, 0, 4096,
                ManifestBuilder.sha256(Arrays.copyOf(file, 4096)),
                List.of(new FileExtent(0, 150_000, 20_000), new FileExtent(20_000, 10_000, 30_000)));
        try (BlockSource ns = new FileChannelSource(dir.resolve("ns.img"));
             ExtentMappedSource source = ExtentMappedSource.open(m, ns, "SN", "MN");
             Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(30_000);
            source.read(5_000, dst, 30_000);
            assertThat(dst.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(Arrays.copyOfRange(file, 5_000, 35_000));
        }
        try (BlockSource ns = new FileChannelSource(dir.resolve("ns.img"))) {
            assertThatThrownBy(() -> ExtentMappedSource.open(m, ns, "OTHER", "MN"))
                    .isInstanceOf(IOException.class).hasMessageContaining("serial 'OTHER'");
            ModelManifest stale = new ModelManifest("model", file.length, "a", "SN", "MN", 1, 0, 4096, "00".repeat(32),
                    m.extents());
            assertThatThrownBy(() -> ExtentMappedSource.open(stale, ns, "SN", "MN"))
                    .isInstanceOf(IOException.class).hasMessageContaining("moved or changed");
        }
    }
}
