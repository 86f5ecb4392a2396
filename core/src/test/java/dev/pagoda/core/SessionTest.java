package dev.pagoda.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.core.testing.Json;
import dev.pagoda.core.testing.ReferenceData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session limits, bad input, the F16 KV cache, and refusal of models that cannot run. */
class SessionTest {

    private static Path stories() {
        return ReferenceData.file("models/stories260K.gguf");
    }

    @Test
    void feedingPastTheContextIsRefusedAndLeavesTheSessionUsable() throws IOException {
        try (Model model = Model.builder(stories()).contextLength(8).threads(2).open()) {
            Session s = model.newSession();
            s.feed(1, 403, 407, 261, 378);
            assertThatThrownBy(() -> s.feed(1, 2, 3, 4))
                    .isInstanceOf(ContextFullException.class)
                    .hasMessageContaining("context of 8 tokens is full");
            assertThat(s.position()).isEqualTo(5);
            s.feed(10, 11, 12);
            assertThatThrownBy(() -> s.feed(13))
                    .isInstanceOf(ContextFullException.class)
                    .hasMessage("context of 8 tokens is full at position 8");
            s.reset();
            assertThat(s.feed(1)).hasSize(512);
        }
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRefused() throws IOException {
        try (Model model = Model.builder(stories()).contextLength(16).threads(1).open()) {
            Session s = model.newSession();
            assertThatThrownBy(() -> s.feed(1, 512)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("token id 512 at index 1");
            assertThatThrownBy(() -> s.feed(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(s::feed).isInstanceOf(IllegalArgumentException.class);
            assertThat(s.position()).isZero();
        }
    }

    @Test
    void closedModelRefusesWork() throws IOException {
        Model model = Model.builder(stories()).threads(2).open();
        Session s = model.newSession();
        model.close();
        assertThatThrownBy(() -> s.feed(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(model::newSession).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void f16KvCacheStaysCloseToF32() throws IOException {
        Map<String, Object> json = Json.object(ReferenceData.file("stories260K/prompt1.f32kv.json"));
        int[] tokens = ReferenceLogitsTest.teacherForcedTokens(json, 64);
        try (Model f32 = Model.builder(stories()).contextLength(128).threads(2).open();
                Model f16 = Model.builder(stories()).contextLength(128).threads(2).kvCacheType(KvCacheType.F16).open()) {
            float[][] a = f32.evaluateAll(tokens);
            float[][] b = f16.evaluateAll(tokens);
            double max = 0;
            for (int t = 0; t < tokens.length; t++) {
                for (int i = 0; i < a[t].length; i++) {
                    max = Math.max(max, Math.abs(a[t][i] - b[t][i]));
                }
                assertThat(ReferenceLogitsTest.argmax(b[t], 0, 512)).isEqualTo(ReferenceLogitsTest.argmax(a[t], 0, 512));
            }
            assertThat(max).isGreaterThan(0).isLessThan(0.05);
        }
    }

    @Test
    void otherArchitecturesAreRefusedByName(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("qwen.gguf");
        Files.write(f, tinyGguf(Map.of("general.architecture", "qwen2")));
        assertThatThrownBy(() -> Model.open(f)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("architecture 'qwen2' is not supported");
    }

    @Test
    void missingHyperParametersAreNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bare.gguf");
        Files.write(f, tinyGguf(Map.of("general.architecture", "llama")));
        assertThatThrownBy(() -> Model.open(f)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("llama.block_count is missing");
    }

    /** A GGUF v3 file with string metadata only and no tensors. */
    private static byte[] tinyGguf(Map<String, String> strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(0).putLong(strings.size());
        strings.forEach((k, v) -> {
            byte[] kb = k.getBytes(StandardCharsets.UTF_8);
            byte[] vb = v.getBytes(StandardCharsets.UTF_8);
            b.putLong(kb.length).put(kb).putInt(8).putLong(vb.length).put(vb);
        });
        while (b.position() % 32 != 0) {
            b.put((byte) 0);
        }
        out.write(b.array(), 0, b.position());
        return out.toByteArray();
    }
}
