package dev.pagoda.gguf.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.gguf.GgmlType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every {@link GgmlType}'s id and block geometry against ggml's own numbers.
 *
 * <p>Ids: {@code enum ggml_type} in {@code ggml/include/ggml.h} (upstream master, with NVFP4 = 40,
 * Q1_0 = 41, Q2_0 = 42). Block sizes: the {@code static_assert(sizeof(block_…) == …)} lines of
 * {@code ggml/src/ggml-common.h}, with {@code QK_K} = 256 and {@code K_SCALE_SIZE} = 12, e.g.
 * {@code sizeof(block_q4_K) == 2*sizeof(ggml_half) + K_SCALE_SIZE + QK_K/2} = 144.
 */
class GgmlTypeGeometryTest {
    /** name -> {ggml id, elements per block, bytes per block}, transcribed from ggml. */
    private static final Map<String, int[]> GGML = Map.ofEntries(
            Map.entry("F32", new int[] {0, 1, 4}),
            Map.entry("F16", new int[] {1, 1, 2}),
            Map.entry("Q4_0", new int[] {2, 32, 2 + 32 / 2}),
            Map.entry("Q4_1", new int[] {3, 32, 2 * 2 + 32 / 2}),
            Map.entry("Q5_0", new int[] {6, 32, 2 + 4 + 32 / 2}),
            Map.entry("Q5_1", new int[] {7, 32, 2 * 2 + 4 + 32 / 2}),
            Map.entry("Q8_0", new int[] {8, 32, 2 + 32}),
            Map.entry("Q8_1", new int[] {9, 32, 2 * 2 + 32}),
            Map.entry("Q2_K", new int[] {10, 256, 2 * 2 + 256 / 16 + 256 / 4}),
            Map.entry("Q3_K", new int[] {11, 256, 2 + 256 / 4 + 256 / 8 + 12}),
            Map.entry("Q4_K", new int[] {12, 256, 2 * 2 + 12 + 256 / 2}),
            Map.entry("Q5_K", new int[] {13, 256, 2 * 2 + 12 + 256 / 2 + 256 / 8}),
            Map.entry("Q6_K", new int[] {14, 256, 2 + 256 / 16 + 3 * 256 / 4}),
            Map.entry("Q8_K", new int[] {15, 256, 4 + 256 + 256 / 16 * 2}),
            Map.entry("IQ2_XXS", new int[] {16, 256, 2 + 256 / 8 * 2}),
            Map.entry("IQ2_XS", new int[] {17, 256, 2 + 256 / 8 * 2 + 256 / 32}),
            Map.entry("IQ3_XXS", new int[] {18, 256, 2 + 3 * (256 / 8)}),
            Map.entry("IQ1_S", new int[] {19, 256, 2 + 256 / 8 + 256 / 16}),
            Map.entry("IQ4_NL", new int[] {20, 32, 2 + 32 / 2}),
            Map.entry("IQ3_S", new int[] {21, 256, 2 + 13 * (256 / 32) + 256 / 64}),
            Map.entry("IQ2_S", new int[] {22, 256, 2 + 256 / 4 + 256 / 16}),
            Map.entry("IQ4_XS", new int[] {23, 256, 2 + 2 + 256 / 64 + 256 / 2}),
            Map.entry("I8", new int[] {24, 1, 1}),
            Map.entry("I16", new int[] {25, 1, 2}),
            Map.entry("I32", new int[] {26, 1, 4}),
            Map.entry("I64", new int[] {27, 1, 8}),
            Map.entry("F64", new int[] {28, 1, 8}),
            Map.entry("IQ1_M", new int[] {29, 256, 256 / 8 + 256 / 16 + 256 / 32}),
            Map.entry("BF16", new int[] {30, 1, 2}),
            Map.entry("TQ1_0", new int[] {34, 256, 2 + 256 / 64 + (256 - 4 * 256 / 64) / 5}),
            Map.entry("TQ2_0", new int[] {35, 256, 2 + 256 / 4}),
            Map.entry("MXFP4", new int[] {39, 32, 1 + 32 / 2}),
            Map.entry("NVFP4", new int[] {40, 64, 64 / 16 + 64 / 2}),
            Map.entry("Q1_0", new int[] {41, 128, 2 + 128 / 8}),
            Map.entry("Q2_0", new int[] {42, 64, 2 + 64 / 4}));

    @Test
    void everyTypeMatchesGgmlIdAndBlockGeometry() {
        assertThat(GgmlType.values()).hasSize(GGML.size());
        for (GgmlType t : GgmlType.values()) {
            int[] spec = GGML.get(t.name());
            assertThat(spec).as("ggml spec row for %s", t).isNotNull();
            assertThat(t.id()).as("%s id", t).isEqualTo(spec[0]);
            assertThat(t.blockSize()).as("%s elements per block", t).isEqualTo(spec[1]);
            assertThat(t.typeSize()).as("%s bytes per block", t).isEqualTo(spec[2]);
            assertThat(GgmlType.fromId(spec[0])).isSameAs(t);
        }
    }

    @Test
    void retiredAndUnknownIdsAreRejected() {
        for (int id : new int[] {4, 5, 31, 32, 33, 36, 37, 38, 43, 63, -1, 64}) {
            assertThat(GgmlType.fromId(id)).as("id %d", id).isNull();
        }
    }

    @Test
    void everySupportedTypeHasAFormatOfItsOwnType() {
        for (GgmlType t : GgmlType.values()) {
            if (t.isSupported()) {
                assertThat(QuantFormat.of(t).type()).isSameAs(t);
            }
        }
    }
}
