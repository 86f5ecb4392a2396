package dev.pagoda.gguf.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** f16 and bf16 conversions round as ggml rounds. */
class HalfPrecisionTest {

    @Test
    void f16FromFloatEqualsLlamaCppsRoundedVector() {
        Path seedA = ReferenceData.seedA();
        float[] y = ReferenceData.floats(seedA.resolve("dot_vector_y.f32.bin"));
        MemorySegment expected = MemorySegment.ofArray(ReferenceData.bytes(seedA.resolve("dot_vector_y.f16.bin")));
        for (int i = 0; i < y.length; i++) {
            assertThat(Fp16.fromFloat(y[i])).as("y[%d] = %s", i, y[i])
                    .isEqualTo(expected.get(LittleEndian.SHORT, 2L * i));
        }
    }

    @Test
    void f16RoundTripsEveryNonNanPatternAndTiesGoToEven() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = Fp16.toFloat((short) bits);
            if (!Float.isNaN(f)) {
                assertThat(Fp16.fromFloat(f) & 0xFFFF).isEqualTo(bits);
            }
        }
        // 1 + 2^-11 lies halfway between 1 and the next half (1 + 2^-10): ties to the even one, 1.
        assertThat(Fp16.fromFloat(1f + 0x1p-11f)).isEqualTo((short) 0x3C00);
        // 1 + 3·2^-11 lies halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even).
        assertThat(Fp16.fromFloat(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3C02);
        assertThat(Fp16.fromFloat(65520f)).isEqualTo((short) 0x7C00);
        assertThat(Fp16.fromFloat(-Float.NaN) & 0xFFFF).isEqualTo(0x7E00);
        assertThat(Fp16.fromFloat(Float.intBitsToFloat(0xFFC00001)) & 0xFFFF).isEqualTo(0xFE00);
    }

    @Test
    void bf16RoundsToNearestEvenAndQuietsNan() {
        assertThat(Bf16.fromFloat(1f)).isEqualTo((short) 0x3F80);
        // 0x3F808000 is halfway between 0x3F80 (even) and 0x3F81.
        assertThat(Bf16.fromFloat(Float.intBitsToFloat(0x3F808000))).isEqualTo((short) 0x3F80);
        assertThat(Bf16.fromFloat(Float.intBitsToFloat(0x3F818000))).isEqualTo((short) 0x3F82);
        assertThat(Bf16.fromFloat(Float.intBitsToFloat(0x3F808001))).isEqualTo((short) 0x3F81);
        // A signalling NaN whose payload lies only in the low bits stays a NaN (quiet bit forced).
        assertThat(Bf16.fromFloat(Float.intBitsToFloat(0x7F800001)) & 0xFFFF).isEqualTo(0x7FC0);
        assertThat(Bf16.fromFloat(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7F80);
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = Bf16.toFloat((short) bits);
            if (!Float.isNaN(f)) {
                assertThat(Bf16.fromFloat(f) & 0xFFFF).isEqualTo(bits);
            }
        }
    }

    @Test
    void kQuantScalesUnpackWhatPackWrote() {
        int[] scales = new int[8];
        int[] mins = new int[8];
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 200; round++) {
            for (int j = 0; j < 8; j++) {
                scales[j] = random.nextInt(64);
                mins[j] = random.nextInt(64);
            }
            MemorySegment packed = MemorySegment.ofArray(new byte[12 + 5]);
            KQuantScales.pack(scales, mins, packed, 5);
            for (int j = 0; j < 8; j++) {
                assertThat(KQuantScales.scale(packed, 5, j)).isEqualTo(scales[j]);
                assertThat(KQuantScales.min(packed, 5, j)).isEqualTo(mins[j]);
            }
        }
    }
}
