package dev.pagoda.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model split in three files, as llama-gguf-split writes it, opens as one. */
class SplitModelTest {
    @TempDir
    Path dir;

    /** Shard i holds tensors "t{i}a" and "t{i}b"; every byte of tensor k is k + 1. */
    private Path writeShards(String prefix, int count, int tensorsCountKey) throws IOException {
        int k = 0;
        for (int i = 0; i < count; i++) {
            GgufWriter w = new GgufWriter();
            if (i == 0) {
                w.put("general.architecture", MetadataValue.string("llama"));
                w.put("llama.block_count", MetadataValue.uint32(3));
            }
            w.put(GgufFile.SPLIT_NO, MetadataValue.uint16(i));
            w.put(GgufFile.SPLIT_COUNT, MetadataValue.uint16(count));
            w.put(GgufFile.SPLIT_TENSORS_COUNT, MetadataValue.int32(tensorsCountKey));
            for (String suffix : List.of("a", "b")) {
                byte[] data = new byte[4 * 8];
                java.util.Arrays.fill(data, (byte) ++k);
                w.addTensor("t" + i + suffix, GgmlType.F32, new long[] {8}, MemorySegment.ofArray(data));
            }
            w.write(SplitFileName.path(dir.resolve(prefix).toString(), i + 1, count));
        }
        return SplitFileName.path(dir.resolve(prefix).toString(), 1, count);
    }

    @Test
    void opensFromAnyShardAsOneModel() throws IOException {
        Path first = writeShards("model", 3, 6);
        for (int shard = 1; shard <= 3; shard++) {
            Path given = SplitFileName.path(dir.resolve("model").toString(), shard, 3);
            try (GgufFile f = GgufFile.open(given)) {
                assertThat(f.shardCount()).isEqualTo(3);
                assertThat(f.path()).isEqualTo(first);
                assertThat(f.metadata().getString("general.architecture")).isEqualTo("llama");
                assertThat(f.metadata().getInt(GgufFile.SPLIT_NO)).isZero();
                assertThat(f.tensors()).extracting(TensorInfo::name).containsExactly("t0a", "t0b", "t1a", "t1b", "t2a", "t2b");
                for (int k = 0; k < 6; k++) {
                    TensorInfo t = f.tensors().get(k);
                    assertThat(t.shard()).isEqualTo(k / 2);
                    assertThat(f.shardPath(t.shard())).isEqualTo(SplitFileName.path(dir.resolve("model").toString(), k / 2 + 1, 3));
                    assertThat(f.data(t).toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) (k + 1));
                    // The absolute offset reads the same bytes straight from the shard's file.
                    try (FileChannel ch = FileChannel.open(f.shardPath(t.shard()), StandardOpenOption.READ)) {
                        var buf = java.nio.ByteBuffer.allocate((int) t.byteSize());
                        ch.read(buf, f.fileOffset(t));
                        assertThat(buf.array()).containsOnly((byte) (k + 1));
                    }
                }
            }
        }
    }

    @Test
    void missingShardIsNamed() throws IOException {
        writeShards("gap", 3, 6);
        Path second = SplitFileName.path(dir.resolve("gap").toString(), 2, 3);
        Files.delete(second);
        assertThatThrownBy(() -> GgufFile.open(SplitFileName.path(dir.resolve("gap").toString(), 1, 3)))
                .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining(second.getFileName().toString());
    }

    @Test
    void wrongTensorCountIsAnError() throws IOException {
        Path first = writeShards("count", 3, 7);
        assertThatThrownBy(() -> GgufFile.open(first)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("split.tensors.count = 7 but the 3 shards hold 6 tensors");
    }

    @Test
    void shardsMustAgreeWithTheirNames() throws IOException {
        writeShards("swap", 3, 6);
        Path a = SplitFileName.path(dir.resolve("swap").toString(), 2, 3);
        Path b = SplitFileName.path(dir.resolve("swap").toString(), 3, 3);
        Path tmp = dir.resolve("tmp");
        Files.move(a, tmp);
        Files.move(b, a);
        Files.move(tmp, b);
        assertThatThrownBy(() -> GgufFile.open(SplitFileName.path(dir.resolve("swap").toString(), 1, 3)))
                .isInstanceOf(GgufFormatException.class).hasMessageContaining("expected shard 1 of 3, found split.no = 2");
    }

    @Test
    void splitKeysWithoutASplitNameCannotFindTheOtherShards() throws IOException {
        Path first = writeShards("renamed", 2, 4);
        Path renamed = Files.move(first, dir.resolve("renamed.gguf"));
        assertThatThrownBy(() -> GgufFile.open(renamed)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("shard 0 of a 2-file split model").hasMessageContaining("cannot be found");
    }

    @Test
    void parsesSplitNames() {
        assertThat(SplitFileName.parse(Path.of("/m/Llama-70B-Q4_K_M-00002-of-00005.gguf")))
                .contains(new SplitFileName("/m/Llama-70B-Q4_K_M", 2, 5));
        assertThat(SplitFileName.parse(Path.of("/m/model.gguf"))).isEmpty();
        assertThat(SplitFileName.path("/m/x", 3, 12)).isEqualTo(Path.of("/m/x-00003-of-00012.gguf"));
    }
}
