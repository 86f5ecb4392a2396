package dev.pagoda.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.GgufFile;
import dev.pagoda.gguf.GgufWriter;
import dev.pagoda.gguf.MetadataValue;
import dev.pagoda.gguf.TensorInfo;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variants of stories260K rewritten with the GGUF writer: tied embeddings, Llama 3.1 rope
 * frequency factors versus linear rope scaling, and a missing tensor.
 */
class ModelVariantsTest {
    private static final int[] TOKENS = {1, 403, 407, 261, 378, 267, 265};

    /** Copies stories260K into {@code target}, letting {@code edit} change the writer before tensors are added. */
    private static Path rewrite(Path target, Consumer<GgufWriter> edit, String skipTensor, String outputFrom)
            throws IOException {
        try (GgufFile src = GgufFile.open(ReferenceData.file("models/stories260K.gguf"))) {
            GgufWriter w = new GgufWriter().putAll(src.metadata());
            edit.accept(w);
            for (TensorInfo t : src.tensors()) {
                if (t.name().equals(skipTensor)) {
                    continue;
                }
                TensorInfo from = t.name().equals("output.weight") && outputFrom != null ? src.tensor(outputFrom) : t;
                w.addTensor(t.name(), from.type(), from.shape(), src.data(from));
            }
            w.write(target);
        }
        return target;
    }

    private static float[][] evaluate(Path model) throws IOException {
        try (Model m = Model.builder(model).contextLength(32).threads(2).open()) {
            return m.evaluateAll(TOKENS);
        }
    }

    @Test
    void modelWithoutOutputWeightUsesTokenEmbeddings(@TempDir Path dir) throws IOException {
        Path explicit = rewrite(dir.resolve("explicit.gguf"), w -> {}, null, "token_embd.weight");
        Path tied = rewrite(dir.resolve("tied.gguf"), w -> {}, "output.weight", null);
        float[][] a = evaluate(explicit);
        float[][] b = evaluate(tied);
        assertThat(b).isDeepEqualTo(a);
        try (GgufFile f = GgufFile.open(tied)) {
            assertThat(f.findTensor("output.weight")).isEmpty();
        }
    }

    @Test
    void ropeFreqFactorsDivideThetaLikeLinearScaling(@TempDir Path dir) throws IOException {
        // rope_freqs all 2.0 divides every θ by 2; linear scaling with factor 2 multiplies θ by 1/2
        Path linear = rewrite(dir.resolve("linear.gguf"), w -> w
                .put("llama.rope.scaling.type", MetadataValue.string("linear"))
                .put("llama.rope.scaling.factor", MetadataValue.float32(2f)), null, null);
        Path freqs = dir.resolve("freqs.gguf");
        try (Arena arena = Arena.ofConfined(); GgufFile src = GgufFile.open(ReferenceData.file("models/stories260K.gguf"))) {
            MemorySegment twos = arena.allocate(4 * 4);
            for (int i = 0; i < 4; i++) {
                twos.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4L * i, 2f);
            }
            GgufWriter w = new GgufWriter().putAll(src.metadata());
            for (TensorInfo t : src.tensors()) {
                w.addTensor(t.name(), t.type(), t.shape(), src.data(t));
            }
            w.addTensor("rope_freqs.weight", GgmlType.F32, new long[] {4}, twos); // rope dim 8 → 4 pairs
            w.write(freqs);
        }
        float[][] a = evaluate(linear);
        float[][] b = evaluate(freqs);
        for (int t = 0; t < a.length; t++) {
            for (int i = 0; i < a[t].length; i++) {
                assertThat(b[t][i]).isCloseTo(a[t][i], org.assertj.core.api.Assertions.within(1e-4f));
            }
        }
        assertThat(evaluate(ReferenceData.file("models/stories260K.gguf"))[3]).isNotEqualTo(a[3]);
    }

    /** A matrix of a type no CPU kernel computes is refused at open, naming the tensor, its type and every supported type. */
    @Test
    void unsupportedTensorTypeIsNamedAtOpen(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("iq4.gguf");
        try (GgufFile src = GgufFile.open(ReferenceData.file("models/stories260K.gguf")); Arena arena = Arena.ofConfined()) {
            GgufWriter w = new GgufWriter().putAll(src.metadata());
            for (TensorInfo t : src.tensors()) {
                if (t.name().equals("blk.0.attn_q.weight")) {
                    w.addTensor(t.name(), GgmlType.IQ4_NL, t.shape(), arena.allocate(GgmlType.IQ4_NL.byteSize(64L * 64)));
                } else {
                    w.addTensor(t.name(), t.type(), t.shape(), src.data(t));
                }
            }
            w.write(file);
        }
        assertThatThrownBy(() -> Model.builder(file).backend(Backend.CPU).open()).isInstanceOf(UnsupportedModelException.class)
                .hasMessage("iq4.gguf: tensor blk.0.attn_q.weight has type IQ4_NL, which the CPU backend cannot compute"
                        + " (supported: F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, BF16)");
    }

    @Test
    void missingTensorIsNamed(@TempDir Path dir) throws IOException {
        Path broken = rewrite(dir.resolve("broken.gguf"), w -> {}, "blk.2.ffn_up.weight", null);
        assertThatThrownBy(() -> Model.open(broken)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("tensor blk.2.ffn_up.weight is missing");
    }

    @Test
    void mixtureOfExpertsIsRefused(@TempDir Path dir) throws IOException {
        Path moe = rewrite(dir.resolve("moe.gguf"), w -> w.put("llama.expert_count", MetadataValue.uint32(8)), null, null);
        assertThatThrownBy(() -> Model.open(moe)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("mixture-of-experts");
    }
}
