package dev.pagoda.gguf.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Types we do not support, and sizes that do not fit, fail with exceptions that say what is wrong. */
class InvalidInputTest {

    @ParameterizedTest
    @EnumSource(names = {"IQ2_XXS", "IQ4_XS", "IQ1_M", "TQ1_0", "TQ2_0", "MXFP4", "NVFP4", "Q1_0", "Q2_0", "Q8_1",
            "Q8_K", "I8", "I32", "F64"})
    void unsupportedTypesAreRefusedByName(GgmlType type) {
        assertThat(type.isSupported()).isFalse();
        MemorySegment raw = MemorySegment.ofArray(new byte[type.typeSize()]);
        assertThatThrownBy(() -> type.dequantize(raw, type.blockSize()))
                .isInstanceOf(UnsupportedGgmlTypeException.class)
                .hasMessageContaining("tensor type " + type.name() + " ")
                .hasMessageContaining("not supported by Pagoda");
        assertThatThrownBy(() -> type.quantize(new float[type.blockSize()], 0, type.blockSize()))
                .isInstanceOf(UnsupportedGgmlTypeException.class)
                .hasMessageContaining(type.name());
        assertThat(type.canQuantize()).isFalse();
    }

    @Test
    void elementsThatAreNotWholeBlocksAreRejectedWithTheNumbers() {
        MemorySegment raw = MemorySegment.ofArray(new byte[144 * 2]);
        assertThatThrownBy(() -> GgmlType.Q4_K.dequantize(raw, 300))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Q4_K")
                .hasMessageContaining("300")
                .hasMessageContaining("256");
    }

    @Test
    void aSourceShorterThanTheBlocksIsRejectedWithTheNumbers() {
        MemorySegment raw = MemorySegment.ofArray(new byte[34 * 3]);
        assertThatThrownBy(() -> GgmlType.Q8_0.dequantize(raw, 128))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Q8_0")
                .hasMessageContaining("136 bytes")
                .hasMessageContaining("102 bytes");
    }

    @Test
    void aDestinationTooSmallIsRejected() {
        MemorySegment raw = MemorySegment.ofArray(new byte[34 * 2]);
        assertThatThrownBy(() -> GgmlType.Q8_0.dequantize(raw, 0, new float[63], 0, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("float[63]");
    }

    @Test
    void nonFiniteValuesAreRejectedByBlockQuantizers() {
        float[] src = new float[256];
        src[17] = Float.NaN;
        assertThatThrownBy(() -> GgmlType.Q4_K.quantize(src, 0, 256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("element 17 is NaN");
    }

    @Test
    void aQuantizeOutputOutsideTheDestinationIsRejected() {
        MemorySegment dst = MemorySegment.ofArray(new byte[33]);
        assertThatThrownBy(() -> GgmlType.Q8_0.quantize(new float[32], 0, 32, dst, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("34 bytes");
    }
}
