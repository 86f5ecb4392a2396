package dev.pagoda.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.gguf.MetadataValue.ArrayValue;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class GgufWriterTest {
    @TempDir
    Path dir;

    static Stream<String> modelFiles() throws IOException {
        return ReferenceModelsTest.modelFiles();
    }

    /** Re-writing a llama.cpp file from what we read reproduces it byte for byte. */
    @ParameterizedTest
    @MethodSource("modelFiles")
    void rewritesReferenceModelsByteForByte(String fileName) throws IOException {
        Path original = ReferenceModelsTest.modelsDir().resolve(fileName);
        Path copy = dir.resolve(fileName);
        try (GgufFile f = GgufFile.open(original)) {
            GgufWriter w = new GgufWriter().version(f.version()).putAll(f.metadata());
            for (TensorInfo t : f.tensors()) {
                w.addTensor(t.name(), t.type(), t.shape(), f.data(t));
            }
            List<TensorInfo> written = w.write(copy);
            assertThat(written).containsExactlyElementsOf(f.tensors());
        }
        assertThat(Files.mismatch(original, copy)).as("first differing byte").isEqualTo(-1L);
    }

    static GgufWriter everyValueType() {
        return new GgufWriter()
                .put("u8", MetadataValue.uint8(255))
                .put("i8", MetadataValue.int8(-128))
                .put("u16", MetadataValue.uint16(65535))
                .put("i16", MetadataValue.int16(-32768))
                .put("u32", MetadataValue.uint32(4294967295L))
                .put("i32", MetadataValue.int32(Integer.MIN_VALUE))
                .put("u64", MetadataValue.uint64(-1L))
                .put("i64", MetadataValue.int64(Long.MIN_VALUE))
                .put("f32", MetadataValue.float32(-0.0f))
                .put("f64", MetadataValue.float64(Math.PI))
                .put("nan", MetadataValue.float32(Float.NaN))
                .put("bool", MetadataValue.bool(true))
                .put("str", MetadataValue.string("héllo ▁wörld \u0000 end"))
                .put("empty", MetadataValue.string(""))
                .put("strs", MetadataValue.stringArray("a", "", "ü", "<0x0A>"))
                .put("f32s", MetadataValue.float32Array(1.5f, -2f, Float.MIN_VALUE))
                .put("i32s", MetadataValue.int32Array(1, -1, Integer.MAX_VALUE))
                .put("u8s", MetadataValue.array(MetadataType.UINT8,
                        List.of(MetadataValue.uint8(0), MetadataValue.uint8(200))))
                .put("u64s", MetadataValue.array(MetadataType.UINT64, List.of(MetadataValue.uint64(1L << 40))))
                .put("f64s", MetadataValue.array(MetadataType.FLOAT64, List.of(MetadataValue.float64(1e300))))
                .put("bools", MetadataValue.array(MetadataType.BOOL,
                        List.of(MetadataValue.bool(false), MetadataValue.bool(true))))
                .put("noints", MetadataValue.array(MetadataType.INT16, List.of()))
                .put("nested", MetadataValue.array(MetadataType.ARRAY, List.of(
                        MetadataValue.int32Array(1, 2, 3),
                        MetadataValue.stringArray("x", "y"),
                        MetadataValue.array(MetadataType.ARRAY, List.of(MetadataValue.float32Array(7f))))));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void everyMetadataTypeRoundTrips(int version) throws IOException {
        Path path = dir.resolve("types.gguf");
        GgufWriter w = everyValueType().version(version);
        w.write(path);
        try (GgufFile f = GgufFile.open(path)) {
            assertThat(f.version()).isEqualTo(version);
            Metadata md = f.metadata();
            assertThat(md.getInt("u8")).isEqualTo(255);
            assertThat(md.getInt("i8")).isEqualTo(-128);
            assertThat(md.getInt("u16")).isEqualTo(65535);
            assertThat(md.getInt("i16")).isEqualTo(-32768);
            assertThat(md.getLong("u32")).isEqualTo(4294967295L);
            assertThat(md.getInt("i32")).isEqualTo(Integer.MIN_VALUE);
            assertThat(md.get("u64").toString()).isEqualTo("18446744073709551615");
            assertThatThrownBy(() -> md.getLong("u64")).hasMessageContaining("does not fit in a long");
            assertThat(md.getLong("i64")).isEqualTo(Long.MIN_VALUE);
            assertThat(Float.floatToRawIntBits(md.getFloat("f32"))).isEqualTo(Float.floatToRawIntBits(-0.0f));
            assertThat(md.getDouble("f64")).isEqualTo(Math.PI);
            assertThat(md.getFloat("nan")).isNaN();
            assertThat(md.getBoolean("bool")).isTrue();
            assertThat(md.getString("str")).isEqualTo("héllo ▁wörld \u0000 end");
            assertThat(md.getString("empty")).isEmpty();
            assertThat(md.getStringArray("strs")).containsExactly("a", "", "ü", "<0x0A>");
            assertThat(md.getFloatArray("f32s")).containsExactly(1.5f, -2f, Float.MIN_VALUE);
            assertThat(md.getIntArray("i32s")).containsExactly(1, -1, Integer.MAX_VALUE);
            assertThat(md.getIntArray("u8s")).containsExactly(0, 200);
            assertThat(md.getLongArray("u64s")).containsExactly(1L << 40);
            assertThat(md.getArray("f64s").doubles()).containsExactly(1e300);
            assertThat(md.getArray("bools").booleans()).containsExactly(false, true);
            assertThat(md.getIntArray("noints")).isEmpty();
            ArrayValue nested = md.getArray("nested");
            assertThat(nested.elementType()).isEqualTo(MetadataType.ARRAY);
            assertThat(((ArrayValue) nested.get(0)).ints()).containsExactly(1, 2, 3);
            assertThat(((ArrayValue) nested.get(1)).strings()).containsExactly("x", "y");
            assertThat(((ArrayValue) ((ArrayValue) nested.get(2)).get(0)).floats()).containsExactly(7f);
            assertThat(md.keys()).containsExactly("u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "f32", "f64",
                    "nan", "bool", "str", "empty", "strs", "f32s", "i32s", "u8s", "u64s", "f64s", "bools", "noints",
                    "nested");

            // Writing what we read gives the same bytes again.
            Path again = dir.resolve("again.gguf");
            new GgufWriter().version(version).putAll(md).write(again);
            assertThat(Files.mismatch(path, again)).isEqualTo(-1L);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 32, 64, 4096})
    void tensorsLandOnTheAlignmentWithZeroPadding(int alignment) throws IOException {
        Random random = new Random(alignment);
        byte[] a = new byte[3 * 4];
        byte[] b = new byte[34 * 2];
        random.nextBytes(a);
        random.nextBytes(b);
        Path path = dir.resolve("aligned.gguf");
        GgufWriter w = new GgufWriter()
                .put("general.alignment", MetadataValue.uint32(alignment))
                .addTensor("a", GgmlType.F32, new long[] {3}, MemorySegment.ofArray(a))
                .addTensor("empty", GgmlType.F16, new long[] {0, 7}, MemorySegment.ofArray(new byte[0]))
                .addTensor("b", GgmlType.Q8_0, new long[] {32, 1, 2}, MemorySegment.ofArray(b));
        w.write(path);
        byte[] file = Files.readAllBytes(path);
        try (GgufFile f = GgufFile.open(path)) {
            assertThat(f.alignment()).isEqualTo(alignment);
            assertThat(f.dataOffset(0) % alignment).isZero();
            for (TensorInfo t : f.tensors()) {
                assertThat(f.fileOffset(t) % alignment).as(t.name()).isZero();
            }
            assertThat(f.data(f.tensor("a")).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(a);
            assertThat(f.data(f.tensor("b")).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(b);
            assertThat(f.tensor("empty").byteSize()).isZero();
            assertThat(f.tensor("b").shape()).containsExactly(32, 1, 2);
            assertThat(f.tensor("b").rowCount()).isEqualTo(2);
            long aEnd = f.fileOffset(f.tensor("a")) + a.length;
            for (long i = aEnd; i < f.fileOffset(f.tensor("b")); i++) {
                assertThat(file[(int) i]).as("padding byte %d", i).isZero();
            }
            assertThat(file.length % alignment).isZero();
        }
    }

    @Test
    void callbackWritesStraightIntoTheChannelAndHolesReadAsZero() throws IOException {
        Path path = dir.resolve("callback.gguf");
        new GgufWriter()
                .addTensor("written", GgmlType.F32, new long[] {4, 2}, (channel, position, byteSize) -> {
                    ByteBuffer buf = ByteBuffer.allocate((int) byteSize);
                    for (int i = 0; i < byteSize; i++) {
                        buf.put((byte) (i + 1));
                    }
                    channel.write(buf.flip(), position);
                })
                .addTensor("sparse", GgmlType.Q4_K, new long[] {256, 1024}, (channel, position, byteSize) -> { })
                .write(path);
        try (GgufFile f = GgufFile.open(path)) {
            byte[] written = f.data(f.tensor("written")).toArray(ValueLayout.JAVA_BYTE);
            assertThat(written[0]).isEqualTo((byte) 1);
            assertThat(written[31]).isEqualTo((byte) 32);
            MemorySegment sparse = f.data(f.tensor("sparse"));
            assertThat(sparse.byteSize()).isEqualTo(1024L * 144);
            assertThat(sparse.mismatch(MemorySegment.ofArray(new byte[1024 * 144]))).isEqualTo(-1L);
        }
    }

    @Test
    void rejectsWhatLlamaCppCouldNotRead() {
        GgufWriter w = new GgufWriter().put("k", MetadataValue.bool(true));
        assertThatThrownBy(() -> w.put("k", MetadataValue.bool(false))).hasMessageContaining("'k' added twice");
        assertThatThrownBy(() -> w.put("general.alignment", MetadataValue.uint32(48)))
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> w.put("general.alignment", MetadataValue.int32(32)))
                .hasMessageContaining("UINT32");
        MemorySegment four = MemorySegment.ofArray(new byte[4]);
        w.addTensor("t", GgmlType.F32, new long[] {1}, four);
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, new long[] {1}, four))
                .hasMessageContaining("'t' added twice");
        assertThatThrownBy(() -> w.addTensor("x".repeat(64), GgmlType.F32, new long[] {1}, four))
                .hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> w.addTensor("u", GgmlType.F32, new long[] {2}, four))
                .hasMessageContaining("4 bytes of data").hasMessageContaining("needs 8");
        assertThatThrownBy(() -> w.addTensor("q", GgmlType.Q4_0, new long[] {16}, four))
                .hasMessageContaining("not a multiple of the Q4_0 block size 32");
        assertThatThrownBy(() -> w.addTensor("five", GgmlType.F32, new long[] {1, 1, 1, 1, 1}, four))
                .hasMessageContaining("5 dimensions");
        assertThatThrownBy(() -> w.version(4)).hasMessageContaining("only 2 and 3");
    }
}
