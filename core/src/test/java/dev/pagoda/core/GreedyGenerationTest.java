package dev.pagoda.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.testing.Json;
import dev.pagoda.core.testing.ReferenceData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Greedy generation on stories260K reproduces llama.cpp's 64 tokens and text. */
class GreedyGenerationTest {

    @ParameterizedTest
    @ValueSource(strings = {"prompt1", "prompt2"})
    void greedyTokensFollowLlamaCppDecodingOneTokenAtATime(String prompt) throws IOException {
        Map<String, Object> json = Json.object(ReferenceData.file("stories260K/" + prompt + ".f32kv.json"));
        int[] promptIds = Json.ints(json, "prompt_token_ids");
        int[] expected = Json.ints(json, "generated_token_ids");
        try (Model model = Model.builder(ReferenceData.file("models/stories260K.gguf"))
                .contextLength(256).threads(2).open()) {
            Session s = model.newSession();
            float[] logits = s.feed(promptIds);
            List<Integer> ours = new ArrayList<>();
            for (int i = 0; i < expected.length; i++) {
                int id = ReferenceLogitsTest.argmax(logits, 0, logits.length);
                ours.add(id);
                logits = s.feed(id);
            }
            assertThat(ours).containsExactly(java.util.Arrays.stream(expected).boxed().toArray(Integer[]::new));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"prompt1", "prompt2"})
    void greedyGenerateReproducesLlamaCppText(String prompt) throws IOException {
        Map<String, Object> json = Json.object(ReferenceData.file("stories260K/" + prompt + ".f32kv.json"));
        String promptText = (String) json.get("prompt_text");
        int[] expected = Json.ints(json, "generated_token_ids");
        try (Model model = Model.builder(ReferenceData.file("models/stories260K.gguf"))
                .contextLength(256).threads(2).open()) {
            assertThat(model.tokenize(promptText, true)).containsExactly(Json.ints(json, "prompt_token_ids"));
            StringBuilder text = new StringBuilder();
            GenerationStats stats = model.generate(promptText, Generation.greedy().maxTokens(expected.length), text::append);
            assertThat(text.toString()).isEqualTo(json.get("generated_text"));
            assertThat(stats.generatedTokens()).isEqualTo(expected.length);
            assertThat(stats.stopReason()).isEqualTo(GenerationStats.StopReason.MAX_TOKENS);
            assertThat(model.generate(promptText, Generation.greedy().maxTokens(expected.length)))
                    .isEqualTo(json.get("generated_text"));
        }
    }
}
