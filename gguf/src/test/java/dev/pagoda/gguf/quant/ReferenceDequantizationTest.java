package dev.pagoda.gguf.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Our dequantization of ggml's quantized rows equals ggml's own {@code to_float} output bit for bit. */
class ReferenceDequantizationTest {

    @ParameterizedTest
    @EnumSource(names = {"F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K",
            "Q6_K"})
    void fastPathMatchesGgmlBitForBit(GgmlType type) {
        Path dir = ReferenceData.seedA().resolve(dirName(type));
        MemorySegment raw = MemorySegment.ofArray(ReferenceData.bytes(dir.resolve("quantized.bin")));
        float[] expected = ReferenceData.floats(dir.resolve("dequantized.f32.bin"));

        float[] actual = type.dequantize(raw, (long) ReferenceData.ROWS * ReferenceData.COLS);

        assertBitsEqual(type, actual, expected);
    }

    @ParameterizedTest
    @EnumSource(names = {"F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K",
            "Q6_K"})
    void scalarReferenceMatchesGgmlBitForBit(GgmlType type) {
        Path dir = ReferenceData.seedA().resolve(dirName(type));
        MemorySegment raw = MemorySegment.ofArray(ReferenceData.bytes(dir.resolve("quantized.bin")));
        float[] expected = ReferenceData.floats(dir.resolve("dequantized.f32.bin"));
        int elements = ReferenceData.ROWS * ReferenceData.COLS;

        float[] actual = new float[elements];
        QuantFormat.of(type).dequantizeScalar(raw, 0, actual, 0, elements / type.blockSize());

        assertBitsEqual(type, actual, expected);
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q8_0", "Q4_K", "Q6_K"})
    void rowWiseDequantizationAtOffsetsMatchesGgml(GgmlType type) {
        Path dir = ReferenceData.seedA().resolve(dirName(type));
        MemorySegment raw = MemorySegment.ofArray(ReferenceData.bytes(dir.resolve("quantized.bin")));
        float[] expected = ReferenceData.floats(dir.resolve("dequantized.f32.bin"));
        long rowBytes = type.byteSize(ReferenceData.COLS);

        float[] row = new float[ReferenceData.COLS + 7];
        for (int r = 0; r < ReferenceData.ROWS; r++) {
            type.dequantize(raw, r * rowBytes, row, 7, ReferenceData.COLS);
            for (int i = 0; i < ReferenceData.COLS; i++) {
                assertThat(Float.floatToRawIntBits(row[7 + i]))
                        .as("%s row %d element %d", type, r, i)
                        .isEqualTo(Float.floatToRawIntBits(expected[r * ReferenceData.COLS + i]));
            }
        }
    }

    static String dirName(GgmlType type) {
        String n = type.name();
        return n.endsWith("_K") ? n.substring(0, n.length() - 1).toLowerCase(Locale.ROOT) + "K"
                : n.toLowerCase(Locale.ROOT);
    }

    static void assertBitsEqual(GgmlType type, float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                throw new AssertionError(type + ": element " + i + " (row " + i / ReferenceData.COLS + ") is "
                        + actual[i] + " but ggml gives " + expected[i]);
            }
        }
    }
}
