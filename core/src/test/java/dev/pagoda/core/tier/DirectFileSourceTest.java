package dev.pagoda.core.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads through every source give the file's bytes, aligned or not, one by one or many in flight. */
class DirectFileSourceTest {
    private static final int SIZE = 3 * (1 << 20) + 12345; // not a multiple of any block

    private static byte[] write(Path file) throws IOException {
        byte[] bytes = new byte[SIZE];
        new SplittableRandom(3).nextBytes(bytes);
        Files.write(file, bytes);
        return bytes;
    }

    private static void assertReads(WeightSource source, byte[] expected) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            long[][] ranges = {{0, 4096}, {4096, 8192}, {1, 100}, {4095, 2}, {123457, 1 << 20 + 1},
                    {SIZE - 77, 77}, {0, SIZE}, {SIZE - 5000, 5000}};
            for (long[] r : ranges) {
                MemorySegment dst = arena.allocate(r[1] + 8192, 4096);
                source.read(r[0], dst, r[1]);
                assertThat(dst.asSlice(0, r[1]).mismatch(MemorySegment.ofArray(expected).asSlice(r[0], r[1])))
                        .as("%s: %d bytes at %d", source.describe(), r[1], r[0]).isEqualTo(-1L);
            }
            MemorySegment a = arena.allocate(SIZE, 4096);
            MemorySegment b = arena.allocate(8192 + 4096, 4096);
            source.submit(List.of(new ReadRequest(0, a, SIZE), new ReadRequest(SIZE / 4096 * 4096, b, SIZE % 4096)))
                    .join();
            assertThat(a.mismatch(MemorySegment.ofArray(expected))).isEqualTo(-1L);
            assertThat(b.asSlice(0, SIZE % 4096).mismatch(
                    MemorySegment.ofArray(expected).asSlice(SIZE / 4096 * 4096))).isEqualTo(-1L);
            assertThatThrownBy(() -> source.read(SIZE - 10, arena.allocate(20), 20)).isInstanceOf(IOException.class)
                    .hasMessageContaining("outside the file");
        }
    }

    @Test
    void directReadsGiveTheFileBytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("weights.bin");
        byte[] bytes = write(file);
        try (DirectFileSource source = new DirectFileSource(file, 3)) {
            assertReads(source, bytes);
        }
    }

    @Test
    void withoutODirectTheFallbackGivesTheFileBytes(@TempDir Path dir) throws Exception {
        // tmpfs refused O_DIRECT before Linux 6.6; the fallback path is taken here on purpose
        Path file = dir.resolve("weights.bin");
        byte[] bytes = write(file);
        try (DirectFileSource source = new DirectFileSource(file, 2, false)) {
            assertThat(source.isDirect()).isFalse();
            assertThat(source.alignment()).isEqualTo(1);
            assertThat(source.describe()).contains("fadvise");
            assertReads(source, bytes);
        }
    }

    @Test
    void mappedAndBlockSourcesGiveTheFileBytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("weights.bin");
        byte[] bytes = write(file);
        try (MappedFileSource mapped = new MappedFileSource(file, 2)) {
            assertReads(mapped, bytes);
        }
        try (BlockSourceWeightSource block = new BlockSourceWeightSource(
                new dev.pagoda.nvme.source.FileChannelSource(file), file + " (FileChannelSource)")) {
            // FileChannelSource throws IllegalArgumentException for a range outside the file; check the bytes only
            try (Arena arena = Arena.ofShared()) {
                MemorySegment dst = arena.allocate(SIZE);
                block.submit(List.of(new ReadRequest(0, dst, SIZE))).join();
                assertThat(dst.mismatch(MemorySegment.ofArray(bytes))).isEqualTo(-1L);
            }
        }
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> new DirectFileSource(dir.resolve("absent.gguf"), 1))
                .hasMessageContaining("absent.gguf");
    }
}
