package dev.pagoda.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of broken file fails with a GgufFormatException naming the field and its offset. */
class BadInputTest {
    @TempDir
    Path dir;

    private AbstractThrowableAssert<?, ? extends Throwable> opening(RawGguf raw) throws IOException {
        return opening(raw.bytes());
    }

    private AbstractThrowableAssert<?, ? extends Throwable> opening(byte[] bytes) throws IOException {
        Path path = Files.write(dir.resolve("bad.gguf"), bytes);
        return assertThatThrownBy(() -> GgufFile.open(path).close()).isInstanceOf(GgufFormatException.class)
                .hasMessageStartingWith(path + ": ");
    }

    private static String hex(long offset) {
        return "at offset 0x" + Long.toHexString(offset);
    }

    /** Not a file: named in the exception, never mapped (a directory) or opened (a pipe would wait for a writer). */
    @Test
    void directoriesPipesAndMissingFilesAreNamed() throws IOException, InterruptedException {
        assertThatThrownBy(() -> GgufFile.open(dir)).isInstanceOf(java.nio.file.FileSystemException.class)
                .hasMessage(dir + ": not a regular file (a GGUF model is one)");
        assertThatThrownBy(() -> GgufFile.open(dir.resolve("absent.gguf")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessage(dir.resolve("absent.gguf").toString());
        Path fifo = dir.resolve("pipe.gguf");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (mkfifo.waitFor() == 0) {
            assertThatThrownBy(() -> GgufFile.open(fifo)).hasMessageContaining("not a regular file");
        }
    }

    @Test
    void emptyFile() throws IOException {
        opening(new byte[0]).hasMessageContaining("file truncated: magic needs 4 bytes, only 0 left " + "(file is 0 bytes)")
                .hasMessageEndingWith(hex(0));
    }

    @Test
    void wrongMagic() throws IOException {
        opening("GGML\3\0\0\0".getBytes()).hasMessageContaining("not a GGUF file: magic is 'GGML'").hasMessageEndingWith(hex(0));
        assertThatThrownBy(() -> GgufFile.open(Files.write(dir.resolve("x.gguf"), new byte[] {0, 1, 2, (byte) 0xff})))
                .hasMessageContaining("'\\x00\\x01\\x02\\xff'");
    }

    @Test
    void unsupportedVersions() throws IOException {
        opening(new RawGguf().header(1, 0, 0)).hasMessageContaining("version 1 is not supported").hasMessageEndingWith(hex(4));
        opening(new RawGguf().header(4, 0, 0)).hasMessageContaining("unknown GGUF version 4").hasMessageEndingWith(hex(4));
        opening(new RawGguf().header(0, 0, 0)).hasMessageContaining("unknown GGUF version 0");
        opening(new RawGguf().header(0x03000000, 0, 0)).hasMessageContaining("big-endian");
    }

    @Test
    void minimalFilesOpen() throws IOException {
        for (int version : new int[] {2, 3}) {
            Path path = new RawGguf().header(version, 0, 0).writeTo(dir.resolve("min" + version + ".gguf"));
            try (GgufFile f = GgufFile.open(path)) {
                assertThat(f.version()).isEqualTo(version);
                assertThat(f.tensors()).isEmpty();
                assertThat(f.metadata().keys()).isEmpty();
            }
        }
    }

    @Test
    void absurdCounts() throws IOException {
        opening(new RawGguf().header(3, 1L << 60, 0)).hasMessageContaining("tensor count 1152921504606846976 cannot fit")
                .hasMessageEndingWith(hex(8));
        opening(new RawGguf().header(3, -1L, 0)).hasMessageContaining("tensor count 18446744073709551615");
        opening(new RawGguf().header(3, 0, 1L << 50)).hasMessageContaining("key/value count 1125899906842624 cannot fit")
                .hasMessageEndingWith(hex(16));
        opening(new RawGguf().header(3, 2, 0).zeros(40)).hasMessageContaining("tensor count 2 cannot fit");
    }

    @Test
    void hugeStrings() throws IOException {
        opening(new RawGguf().header(3, 0, 1).u64(1L << 40).zeros(16))
                .hasMessageContaining("metadata key 0: string of 1099511627776 bytes runs past the end")
                .hasMessageEndingWith(hex(24));
        RawGguf value = new RawGguf().header(3, 0, 1).str("k").u32(MetadataType.STRING.id());
        long valueAt = value.at();
        opening(value.u64(-2L).zeros(8)).hasMessageContaining("string of 18446744073709551614 bytes")
                .hasMessageEndingWith(hex(valueAt));
    }

    @Test
    void hugeArrays() throws IOException {
        RawGguf raw = new RawGguf().header(3, 0, 1).str("a").u32(MetadataType.ARRAY.id()).u32(MetadataType.UINT8.id());
        long countAt = raw.at();
        opening(raw.u64(1L << 40).zeros(64)).hasMessageContaining("metadata key 'a': array of 1099511627776 UINT8 cannot fit")
                .hasMessageEndingWith(hex(countAt));
        opening(new RawGguf().header(3, 0, 1).str("a").u32(MetadataType.ARRAY.id()).u32(MetadataType.STRING.id())
                .u64(1L << 61).zeros(64)).hasMessageContaining("array of 2305843009213693952 STRING cannot fit");
        // A count the file could hold but whose strings are not there.
        opening(new RawGguf().header(3, 0, 1).str("a").u32(MetadataType.ARRAY.id()).u32(MetadataType.STRING.id())
                .u64(4).str("x").u64(1L << 40).zeros(16)).hasMessageContaining("'a'[1]: string of 1099511627776 bytes");
        opening(new RawGguf().header(3, 0, 1).str("a").u32(MetadataType.ARRAY.id()).u32(MetadataType.INT64.id())
                .u64(3).zeros(16)).hasMessageContaining("array of 3 INT64 cannot fit in the 16 bytes left");
    }

    @Test
    void deeplyNestedArrays() throws IOException {
        RawGguf raw = new RawGguf().header(3, 0, 1).str("deep").u32(MetadataType.ARRAY.id());
        for (int i = 0; i < 100; i++) {
            raw.u32(MetadataType.ARRAY.id()).u64(1);
        }
        raw.u32(MetadataType.UINT8.id()).u64(0);
        opening(raw).hasMessageContaining("nested more than 64 deep");
    }

    @Test
    void unknownValueTypes() throws IOException {
        RawGguf raw = new RawGguf().header(3, 0, 1).str("k");
        long typeAt = raw.at();
        opening(raw.u32(13).u32(0)).hasMessageContaining("metadata key 'k': value type id 13 unknown").hasMessageEndingWith(hex(typeAt));
        RawGguf arr = new RawGguf().header(3, 0, 1).str("k").u32(MetadataType.ARRAY.id());
        long elemAt = arr.at();
        opening(arr.u32(99).u64(0)).hasMessageContaining("array element type id 99 unknown").hasMessageEndingWith(hex(elemAt));
    }

    @Test
    void duplicateKeys() throws IOException {
        RawGguf raw = new RawGguf().header(3, 0, 2).kvU32("general.x", 1);
        long secondAt = raw.at();
        opening(raw.kvU32("general.x", 2)).hasMessageContaining("metadata key 1 'general.x' appears twice")
                .hasMessageEndingWith(hex(secondAt));
    }

    @Test
    void badAlignment() throws IOException {
        opening(new RawGguf().header(3, 0, 1).kvU32("general.alignment", 48)).hasMessageContaining("general.alignment = 48 is not a power of two");
        opening(new RawGguf().header(3, 0, 1).kvU32("general.alignment", 0)).hasMessageContaining("general.alignment = 0 is not a power of two");
        opening(new RawGguf().header(3, 0, 1).str("general.alignment").u32(MetadataType.STRING.id()).str("32"))
                .hasMessageContaining("general.alignment is STRING, expected UINT32");
    }

    private static RawGguf oneTensor(String name, GgmlType type, long offset, long... ne) {
        return new RawGguf().header(3, 1, 0).tensor(name, type, offset, ne);
    }

    @Test
    void unknownTensorType() throws IOException {
        RawGguf raw = new RawGguf().header(3, 13, 0);
        for (int i = 0; i < 12; i++) {
            raw.tensor("t" + i, GgmlType.F32, 32L * i, 8);
        }
        raw.str("blk.0.attn_q.weight").u32(1).u64(8);
        long typeAt = raw.at();
        raw.u32(99).u64(12 * 32).pad(32).zeros(13 * 32);
        opening(raw).hasMessageContaining("tensor 12 'blk.0.attn_q.weight': type id 99 unknown " + hex(typeAt));
        opening(new RawGguf().header(3, 1, 0).str("t").u32(1).u64(8).u32(4).u64(0).pad(32).zeros(64))
                .hasMessageContaining("type id 4 unknown"); // Q4_2, retired
    }

    @Test
    void badDimensions() throws IOException {
        RawGguf five = new RawGguf().header(3, 1, 0).str("t");
        long dimsAt = five.at();
        opening(five.u32(5).zeros(64)).hasMessageContaining("tensor 0 't': n_dims 5 outside 0..4").hasMessageEndingWith(hex(dimsAt));
        opening(oneTensor("t", GgmlType.F32, 0, 4, -1).pad(32).zeros(64)).hasMessageContaining("ne[1] = 18446744073709551615 is negative");
        opening(oneTensor("t", GgmlType.F32, 0, 1L << 32, 1L << 32).pad(32).zeros(64))
                .hasMessageContaining("element count of [4294967296, 4294967296] overflows int64");
        opening(oneTensor("t", GgmlType.F32, 0, 1L << 31, 1L << 31).pad(32).zeros(64))
                .hasMessageContaining("byte size of [2147483648, 2147483648] F32 overflows 64 bits");
        opening(oneTensor("t", GgmlType.Q4_0, 0, 48, 2).pad(32).zeros(64))
                .hasMessageContaining("row length ne[0] = 48 is not a multiple of the Q4_0 block size 32");
    }

    @Test
    void zeroDimensionsAndZeroSizesReadAsGgmlDoes() throws IOException {
        Path path = new RawGguf().header(3, 2, 0).tensor("scalar", GgmlType.F32, 0).tensor("none", GgmlType.F32, 32, 8, 0)
                .pad(32).zeros(32).writeTo(dir.resolve("zero.gguf"));
        try (GgufFile f = GgufFile.open(path)) {
            assertThat(f.tensor("scalar").shape()).containsExactly(1);
            assertThat(f.tensor("scalar").byteSize()).isEqualTo(4);
            assertThat(f.tensor("none").elementCount()).isZero();
            assertThat(f.data(f.tensor("none")).byteSize()).isZero();
        }
    }

    @Test
    void tensorDataOutsideTheFile() throws IOException {
        RawGguf raw = new RawGguf().header(3, 1, 0);
        long infoAt = raw.at();
        opening(raw.tensor("w", GgmlType.F32, 0, 16).pad(32).zeros(32))
                .hasMessageContaining("tensor 0 'w': data [0, 0 + 64) of the data section at 64 runs past the end of the file (96 bytes)")
                .hasMessageEndingWith(hex(infoAt));
        opening(oneTensor("w", GgmlType.F32, 1L << 62, 16).pad(32).zeros(64)).hasMessageContaining("runs past the end");
        opening(oneTensor("w", GgmlType.F32, -32, 16).pad(32).zeros(64)).hasMessageContaining("data offset 18446744073709551584");
        opening(oneTensor("w", GgmlType.F32, 0, 16)).hasMessageContaining("data section would start at 64, past the end");
    }

    @Test
    void misalignedAndOverlappingTensors() throws IOException {
        opening(oneTensor("w", GgmlType.F32, 4, 4).pad(32).zeros(64))
                .hasMessageContaining("tensor 0 'w': data offset 4 is not a multiple of the alignment 32");
        RawGguf overlap = new RawGguf().header(3, 2, 0).tensor("a", GgmlType.F32, 0, 16);
        long bAt = overlap.at();
        opening(overlap.tensor("b", GgmlType.F32, 32, 8).pad(32).zeros(128))
                .hasMessageContaining("tensor 1 'b': data at 32 overlaps tensor 0 'a' (data [0, 64))").hasMessageEndingWith(hex(bAt));
    }

    @Test
    void duplicateAndOverlongTensorNames() throws IOException {
        RawGguf dup = new RawGguf().header(3, 2, 0).tensor("w", GgmlType.F32, 0, 8);
        long secondAt = dup.at();
        opening(dup.tensor("w", GgmlType.F32, 32, 8).pad(32).zeros(64))
                .hasMessageContaining("tensor 1 'w': duplicate name, tensor 0 has it too").hasMessageEndingWith(hex(secondAt));
        opening(oneTensor("n".repeat(64), GgmlType.F32, 0, 8).pad(32).zeros(32)).hasMessageContaining("name is 64 bytes, ggml allows at most 63");
    }

    /** Every cut of a valid file before its last tensor's data ends fails cleanly; after, it opens. */
    @Test
    void everyTruncation() throws IOException {
        Path whole = dir.resolve("whole.gguf");
        GgufWriterTest.everyValueType()
                .addTensor("a", GgmlType.F32, new long[] {8}, java.lang.foreign.MemorySegment.ofArray(new byte[32]))
                .addTensor("b", GgmlType.Q8_0, new long[] {32}, java.lang.foreign.MemorySegment.ofArray(new byte[34]))
                .write(whole);
        byte[] bytes = Files.readAllBytes(whole);
        long dataEnd;
        try (GgufFile f = GgufFile.open(whole)) {
            TensorInfo b = f.tensor("b");
            dataEnd = f.fileOffset(b) + b.byteSize();
        }
        Path cut = dir.resolve("cut.gguf");
        for (int length = 0; length < bytes.length; length++) {
            Files.write(cut, Arrays.copyOf(bytes, length));
            if (length < dataEnd) {
                final int n = length;
                assertThatThrownBy(() -> GgufFile.open(cut).close()).as("cut at %d", n).isInstanceOf(GgufFormatException.class);
            } else {
                GgufFile.open(cut).close();
            }
        }
    }
}
