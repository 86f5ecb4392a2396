package dev.pagoda.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.GgufFile;
import dev.pagoda.gguf.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class QuantMixTest {

    private static Map<String, PlannedTensor> byName(List<PlannedTensor> plan) {
        return plan.stream().collect(Collectors.toMap(PlannedTensor::name, Function.identity()));
    }

    private static long bytes(List<PlannedTensor> plan) {
        return plan.stream().mapToLong(PlannedTensor::byteSize).sum();
    }

    @Test
    void useMoreBitsPicksFirstAndLastEighthAndEveryThirdBetween() {
        List<Integer> of32 = IntStream.range(0, 32).filter(i -> QuantMix.usesMoreBits(i, 32)).boxed().toList();
        assertThat(of32).containsExactly(0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31);
        List<Integer> of4 = IntStream.range(0, 4).filter(i -> QuantMix.usesMoreBits(i, 4)).boxed().toList();
        assertThat(of4).containsExactly(2, 3);
        assertThat(IntStream.range(0, 80).filter(i -> QuantMix.usesMoreBits(i, 80)).count()).isEqualTo(10 + 10 + 20);
    }

    @Test
    void llama8bQ4KMHasLlamaQuantizesMix() {
        List<PlannedTensor> plan = QuantMix.plan(ModelShape.LLAMA_3_1_8B, FileType.Q4_K_M);
        assertThat(plan).hasSize(2 + 32 * 9 + 2);
        Map<String, PlannedTensor> t = byName(plan);
        assertThat(t.get("rope_freqs.weight").type()).isEqualTo(GgmlType.F32);
        assertThat(t.get("rope_freqs.weight").shape()).containsExactly(64);
        assertThat(t.get("token_embd.weight").type()).isEqualTo(GgmlType.Q4_K);
        assertThat(t.get("token_embd.weight").shape()).containsExactly(4096, 128256);
        assertThat(t.get("output.weight").type()).isEqualTo(GgmlType.Q6_K);
        assertThat(t.get("output_norm.weight").type()).isEqualTo(GgmlType.F32);
        assertThat(t.get("blk.0.attn_k.weight").shape()).containsExactly(4096, 1024);
        assertThat(t.get("blk.0.ffn_down.weight").shape()).containsExactly(14336, 4096);
        assertThat(t.get("blk.0.ffn_gate.weight").shape()).containsExactly(4096, 14336);
        for (int layer = 0; layer < 32; layer++) {
            GgmlType sensitive = QuantMix.usesMoreBits(layer, 32) ? GgmlType.Q6_K : GgmlType.Q4_K;
            assertThat(t.get("blk." + layer + ".attn_v.weight").type()).as("attn_v %d", layer).isEqualTo(sensitive);
            assertThat(t.get("blk." + layer + ".ffn_down.weight").type()).as("ffn_down %d", layer).isEqualTo(sensitive);
            for (String plain : List.of("attn_q", "attn_k", "attn_output", "ffn_gate", "ffn_up")) {
                assertThat(t.get("blk." + layer + "." + plain + ".weight").type()).isEqualTo(GgmlType.Q4_K);
            }
            assertThat(t.get("blk." + layer + ".attn_norm.weight").type()).isEqualTo(GgmlType.F32);
        }
        // Meta-Llama-3.1-8B Q4_K_M GGUFs are 4.92 GB; tensors are all but a few MB of that.
        assertThat(bytes(plan)).isBetween(4_890_000_000L, 4_920_000_000L);
    }

    @Test
    void llama70bQ4KMGivesAttnVQ5KOutsideTheSensitiveLayers() {
        assertThat(ModelShape.LLAMA_3_1_70B.isLlama70BClass()).isTrue();
        List<PlannedTensor> plan = QuantMix.plan(ModelShape.LLAMA_3_1_70B, FileType.Q4_K_M);
        assertThat(plan).hasSize(2 + 80 * 9 + 2);
        Map<String, PlannedTensor> t = byName(plan);
        for (int layer = 0; layer < 80; layer++) {
            boolean more = QuantMix.usesMoreBits(layer, 80);
            assertThat(t.get("blk." + layer + ".attn_v.weight").type()).isEqualTo(more ? GgmlType.Q6_K : GgmlType.Q5_K);
            assertThat(t.get("blk." + layer + ".ffn_down.weight").type()).isEqualTo(more ? GgmlType.Q6_K : GgmlType.Q4_K);
        }
        assertThat(t.get("blk.0.attn_v.weight").shape()).containsExactly(8192, 1024);
        assertThat(t.get("blk.0.ffn_up.weight").shape()).containsExactly(8192, 28672);
        assertThat(t.get("output.weight").type()).isEqualTo(GgmlType.Q6_K);
        // Llama-3.1-70B Q4_K_M GGUFs are 42.5 GB.
        assertThat(bytes(plan)).isBetween(42_400_000_000L, 42_600_000_000L);
    }

    @Test
    void fewerLayersThanEightyIsNoLonger70BClass() {
        ModelShape four = ModelShape.LLAMA_3_1_70B.withBlockCount(4);
        assertThat(four.isLlama70BClass()).isFalse();
        Map<String, PlannedTensor> t = byName(QuantMix.plan(four, FileType.Q4_K_M));
        assertThat(t.get("blk.0.attn_v.weight").type()).isEqualTo(GgmlType.Q4_K);
        assertThat(t.get("blk.3.attn_v.weight").type()).isEqualTo(GgmlType.Q6_K);
        assertThat(t).hasSize(2 + 4 * 9 + 2);
    }

    @Test
    void tiedEmbeddingsGetTheOutputRuleAndNoOutputTensor() {
        Map<String, PlannedTensor> q4 = byName(QuantMix.plan(ModelShape.LLAMA_3_2_1B, FileType.Q4_K_M));
        assertThat(q4).doesNotContainKey("output.weight");
        assertThat(q4.get("token_embd.weight").type()).isEqualTo(GgmlType.Q6_K);
        assertThat(q4.get("rope_freqs.weight").shape()).containsExactly(32);
        assertThat(byName(QuantMix.plan(ModelShape.LLAMA_3_2_1B, FileType.Q8_0)).get("token_embd.weight").type())
                .isEqualTo(GgmlType.Q8_0);
        assertThat(byName(QuantMix.plan(ModelShape.LLAMA_3_2_1B, FileType.F16)).get("token_embd.weight").type())
                .isEqualTo(GgmlType.F16);
    }

    @Test
    void uniformFileTypesQuantizeEveryMatrixAlikeAndKeepVectorsF32() {
        for (FileType ft : List.of(FileType.Q8_0, FileType.Q6_K, FileType.F16)) {
            for (PlannedTensor p : QuantMix.plan(ModelShape.LLAMA_3_1_8B, ft)) {
                GgmlType expected = p.shape().length == 1 ? GgmlType.F32 : ft.baseType();
                assertThat(p.type()).as("%s in %s", p.name(), ft).isEqualTo(expected);
            }
        }
    }

    @Test
    void rowsThatAreNotWholeKBlocksFallBackLikeLlamaQuantize() {
        ModelShape odd = new ModelShape("odd", 256, 8, 8, 4, 640, 2048, 1024, 10000, null, false, 16);
        Map<String, PlannedTensor> t = byName(QuantMix.plan(odd, FileType.Q4_K_M));
        assertThat(t).doesNotContainKey("rope_freqs.weight");
        assertThat(t.get("blk.1.ffn_down.weight").type()).isEqualTo(GgmlType.Q5_0);
        assertThat(t.get("blk.0.ffn_down.weight").type()).isEqualTo(GgmlType.Q8_0);
        assertThat(t.get("blk.1.ffn_up.weight").type()).isEqualTo(GgmlType.Q4_K);
        ModelShape tooOdd = new ModelShape("odd", 256, 1, 8, 4, 100, 2048, 1024, 10000, null, false, 16);
        assertThatThrownBy(() -> QuantMix.plan(tooOdd, FileType.Q8_0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blk.0.ffn_down.weight").hasMessageContaining("no fallback");
    }

    /** The synth-A models of the reference set were made with llama-quantize itself. */
    @Test
    void matchesLlamaQuantizeOnTheReferenceModels() throws Exception {
        String shared = System.getProperty("pagoda.shared");
        Path models = shared == null ? null : Path.of(shared, "reference", "models");
        Assumptions.assumeTrue(models != null && Files.isDirectory(models),
                "reference models not found under pagoda.shared = " + shared
                        + ": skipping the comparison of QuantMix with llama-quantize's own output");
        ModelShape synthA = new ModelShape("synth-A", 256, 4, 4, 2, 768, 512, 256, 10000, null, false, 16);
        Map<String, FileType> files = Map.of("synth-A-Q4_K_M.gguf", FileType.Q4_K_M, "synth-A-Q8_0.gguf",
                FileType.Q8_0, "synth-A-Q6_K.gguf", FileType.Q6_K, "synth-A-F16.gguf", FileType.F16);
        for (Map.Entry<String, FileType> e : files.entrySet()) {
            Map<String, PlannedTensor> planned = byName(QuantMix.plan(synthA, e.getValue()));
            try (GgufFile f = GgufFile.open(models.resolve(e.getKey()))) {
                assertThat(f.tensors()).hasSize(planned.size());
                for (TensorInfo actual : f.tensors()) {
                    PlannedTensor p = planned.get(actual.name());
                    assertThat(p).as(actual.name()).isNotNull();
                    assertThat(p.type()).as("%s in %s", actual.name(), e.getKey()).isEqualTo(actual.type());
                    assertThat(p.shape()).as(actual.name()).isEqualTo(actual.shape());
                }
                assertThat(f.metadata().getInt("general.file_type")).isEqualTo(e.getValue().id());
            }
        }
    }
}
