package dev.pagoda.gguf.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our quantizers reproduce ggml's reference quantizers ({@code ggml_quantize_chunk} without an
 * importance matrix) byte for byte on llama.cpp's seedA input, and so also its round-trip error.
 */
class ReferenceQuantizationTest {

    @ParameterizedTest
    @EnumSource(names = {"F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K",
            "Q6_K"})
    void quantizedBytesEqualGgml(GgmlType type) {
        Path seedA = ReferenceData.seedA();
        float[] input = ReferenceData.floats(seedA.resolve("input.f32.bin"));
        byte[] expected = ReferenceData.bytes(seedA.resolve(ReferenceDequantizationTest.dirName(type))
                .resolve("quantized.bin"));

        byte[] actual = type.quantize(input, 0, input.length);

        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            if (actual[i] != expected[i]) {
                long block = i / type.typeSize();
                throw new AssertionError(type + ": byte " + i + " (block " + block + ", offset "
                        + (i % type.typeSize()) + " in block) is " + actual[i] + " but ggml wrote " + expected[i]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K"})
    void rowWiseQuantizationIntoANativeSegmentAtAnOffsetEqualsGgml(GgmlType type) {
        Path seedA = ReferenceData.seedA();
        float[] input = ReferenceData.floats(seedA.resolve("input.f32.bin"));
        byte[] expected = ReferenceData.bytes(seedA.resolve(ReferenceDequantizationTest.dirName(type))
                .resolve("quantized.bin"));
        int rowBytes = (int) type.byteSize(ReferenceData.COLS);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(expected.length + 3);
            for (int r = ReferenceData.ROWS - 1; r >= 0; r--) {
                type.quantize(input, r * ReferenceData.COLS, ReferenceData.COLS, dst, 3 + (long) r * rowBytes);
            }
            assertThat(dst.asSlice(3).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(expected);
        }
    }
}
