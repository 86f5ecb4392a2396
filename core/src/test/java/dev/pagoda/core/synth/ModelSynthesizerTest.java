package dev.pagoda.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.core.Model;
import dev.pagoda.core.tokenizer.Tokenizer;
import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.GgufFile;
import dev.pagoda.gguf.Metadata;
import dev.pagoda.gguf.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelSynthesizerTest {
    @TempDir
    Path dir;

    private Path write(FileType type, WeightMode mode, long seed, int threads, String name) throws IOException {
        Path out = dir.resolve(name);
        ModelSynthesizer.write(new SynthOptions(ModelShape.TINY, type, seed, mode, threads), out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    void tinyOpensWithThePlannedTensorsAndSaneValues(FileType type) throws IOException {
        for (WeightMode mode : WeightMode.values()) {
            Path p = write(type, mode, 7, 2, "tiny-" + type + "-" + mode + ".gguf");
            List<PlannedTensor> plan = QuantMix.plan(ModelShape.TINY, type);
            try (GgufFile f = GgufFile.open(p)) {
                assertThat(f.tensors()).hasSize(plan.size());
                for (int i = 0; i < plan.size(); i++) {
                    TensorInfo actual = f.tensors().get(i);
                    PlannedTensor expected = plan.get(i);
                    assertThat(actual.name()).isEqualTo(expected.name());
                    assertThat(actual.shape()).isEqualTo(expected.shape());
                    assertThat(actual.type()).isEqualTo(expected.type());
                    assertSaneValues(f, actual, expected.role());
                }
                Metadata md = f.metadata();
                assertThat(md.getString("general.architecture")).isEqualTo("llama");
                assertThat(md.getInt("general.file_type")).isEqualTo(type.id());
                assertThat(md.getInt("general.quantization_version")).isEqualTo(2);
                assertThat(md.getInt("general.alignment")).isEqualTo(32);
                assertThat(md.getInt("llama.block_count")).isEqualTo(4);
                assertThat(md.getInt("llama.embedding_length")).isEqualTo(256);
                assertThat(md.getInt("llama.attention.head_count_kv")).isEqualTo(4);
                assertThat(md.getInt("llama.rope.dimension_count")).isEqualTo(32);
                assertThat(md.getFloat("llama.attention.layer_norm_rms_epsilon")).isEqualTo(1e-5f);
                assertThat(md.getFloat("llama.rope.freq_base")).isEqualTo(500000f);
                assertThat(md.getInt("llama.vocab_size")).isEqualTo(2048);
                assertThat(md.getStringArray("tokenizer.ggml.tokens")).hasSize(2048);
                assertThat(md.getInt("tokenizer.ggml.bos_token_id")).isEqualTo(2032);
                assertThat(md.getInt("tokenizer.ggml.eos_token_id")).isEqualTo(2033);
            }
        }
    }

    private static void assertSaneValues(GgufFile f, TensorInfo t, TensorRole role) {
        float[] v = t.type().dequantize(f.data(t), t.elementCount());
        double sum = 0;
        double sq = 0;
        for (float x : v) {
            assertThat(Float.isFinite(x)).as("%s holds a non-finite value", t.name()).isTrue();
            sum += x;
            sq += (double) x * x;
        }
        double mean = sum / v.length;
        double std = Math.sqrt(sq / v.length - mean * mean);
        if (role == TensorRole.ROPE_FREQS) {
            assertThat(v[0]).isEqualTo(1f);
            assertThat(v[v.length - 1]).isEqualTo(8f);
        } else if (role.isNorm()) {
            assertThat(mean).as("%s mean", t.name()).isBetween(0.95, 1.05);
            assertThat(std).as("%s std", t.name()).isBetween(0.05, 0.15);
        } else {
            assertThat(mean).as("%s mean", t.name()).isBetween(-0.003, 0.003);
            assertThat(std).as("%s std", t.name()).isBetween(0.012, 0.03);
        }
    }

    @Test
    void sameSeedGivesTheSameFileWhateverTheThreadCount() throws IOException {
        for (WeightMode mode : WeightMode.values()) {
            byte[] one = Files.readAllBytes(write(FileType.Q4_K_M, mode, 42, 1, "a-" + mode + ".gguf"));
            byte[] three = Files.readAllBytes(write(FileType.Q4_K_M, mode, 42, 3, "b-" + mode + ".gguf"));
            byte[] other = Files.readAllBytes(write(FileType.Q4_K_M, mode, 43, 3, "c-" + mode + ".gguf"));
            assertThat(one).as(mode.name()).isEqualTo(three);
            assertThat(one).as(mode.name()).hasSameSizeAs(other).isNotEqualTo(other);
        }
    }

    @Test
    void exactModeQuantizesTheSeededFloatsWithGgmlsQuantizer() throws IOException {
        // Redraw blk.1.ffn_up.weight's floats chunk by chunk, as documented, and quantize them here.
        List<PlannedTensor> plan = QuantMix.plan(ModelShape.TINY, FileType.Q8_0);
        int index = plan.indexOf(plan.stream().filter(t -> t.name().equals("blk.1.ffn_up.weight")).findFirst().orElseThrow());
        PlannedTensor planned = plan.get(index);
        int n = planned.rowLength();
        float[] floats = new float[Math.toIntExact(planned.rowCount() * n)];
        long rowsPerChunk = Math.max(1, ModelSynthesizer.CHUNK_BYTES / planned.rowBytes());
        for (long chunk = 0; chunk * rowsPerChunk < planned.rowCount(); chunk++) {
            ChunkRandom rnd = new ChunkRandom(5, index, chunk);
            long end = Math.min(planned.rowCount(), (chunk + 1) * rowsPerChunk);
            for (long row = chunk * rowsPerChunk; row < end; row++) {
                for (int i = 0; i < n; i++) {
                    floats[(int) (row * n + i)] = ModelSynthesizer.WEIGHT_STD * rnd.nextGaussian();
                }
            }
        }
        try (GgufFile q8 = GgufFile.open(write(FileType.Q8_0, WeightMode.EXACT, 5, 2, "q8.gguf"))) {
            TensorInfo t = q8.tensor(planned.name());
            assertThat(q8.data(t).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                    .isEqualTo(GgmlType.Q8_0.quantize(floats, 0, floats.length));
        }
    }

    /** Past llama.cpp's layer limit, and a file bigger than the disk's free space: refused before anything is written. */
    @Test
    void impossibleFilesAreRefusedBeforeWriting() {
        assertThatThrownBy(() -> ModelShape.TINY.withBlockCount(ModelShape.MAX_BLOCKS + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tiny: 513 layers; at most 512 (llama.cpp's LLAMA_MAX_LAYERS)");
        // 512 layers of the 70B in F16: about 900 GB of tensors, more than any test machine's disk has free
        Path huge = dir.resolve("huge.gguf");
        SynthOptions options = new SynthOptions(ModelShape.LLAMA_3_1_70B.withBlockCount(ModelShape.MAX_BLOCKS), FileType.F16,
                1, WeightMode.FAST, 1);
        assertThatThrownBy(() -> ModelSynthesizer.write(options, huge)).isInstanceOf(IOException.class)
                .hasMessageContaining("huge.gguf: the tensors need ").hasMessageEndingWith("free: nothing was written");
        assertThat(huge).doesNotExist();
        // two 1 MiB buffers per thread: an absurd thread count is refused, not allocated
        assertThatThrownBy(() -> new SynthOptions(ModelShape.TINY, FileType.F16, 1, WeightMode.FAST, 100_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("thread count must be between 1 and 512, got 100000");
    }

    @Test
    void layersOverrideShrinksABigShape() {
        ModelShape two = ModelShape.LLAMA_3_1_8B.withBlockCount(2);
        assertThat(QuantMix.plan(two, FileType.Q4_K_M)).hasSize(2 + 2 * 9 + 2);
        assertThat(SynthOptions.defaultMode(ModelShape.TINY, FileType.Q4_K_M)).isEqualTo(WeightMode.EXACT);
        assertThat(SynthOptions.defaultMode(ModelShape.LLAMA_3_1_70B, FileType.Q4_K_M)).isEqualTo(WeightMode.FAST);
    }

    @ParameterizedTest
    @EnumSource(WeightMode.class)
    void tinyRunsOnTheCpuEngineAndItsTokenizerRoundTrips(WeightMode mode) throws IOException {
        Path p = write(FileType.Q4_K_M, mode, 3, 2, "run-" + mode + ".gguf");
        try (Model model = Model.builder(p).threads(2).contextLength(64).open()) {
            Tokenizer tok = model.tokenizer();
            String text = "The boats came into the harbour, and 42 children ran home!";
            int[] ids = tok.encode(text, true, false);
            assertThat(ids[0]).isEqualTo(2032);
            assertThat(ids.length).isLessThan(text.length());
            assertThat(tok.decode(java.util.Arrays.copyOfRange(ids, 1, ids.length))).isEqualTo(text);
            assertThat(tok.isEndOfGeneration(2041)).as("<|eot_id|>").isTrue();
            float[] logits = model.evaluate(ids);
            assertThat(logits).hasSize(2048);
            double spread = 0;
            for (float x : logits) {
                assertThat(Float.isFinite(x)).isTrue();
                spread = Math.max(spread, Math.abs(x - logits[0]));
            }
            assertThat(spread).as("logits are not all equal").isGreaterThan(1e-3);
        }
    }
}
