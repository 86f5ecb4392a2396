package dev.pagoda.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.testing.Json;
import dev.pagoda.core.testing.ReferenceData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Teacher-forced logits against llama.cpp (F32 KV cache, no flash attention): the prompt plus
 * llama.cpp's greedy tokens are fed in one batch, and every row is compared with llama.cpp's
 * row and with an independent float64 forward pass.
 */
class ReferenceLogitsTest {

    /**
     * @param argmaxGap argmax must agree where llama.cpp's top1 − top2 gap exceeds this (0: everywhere)
     */
    record Case(String name, String model, String reference, float tolerance, float argmaxGap) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("stories260K prompt 1", "models/stories260K.gguf", "stories260K/prompt1", 1e-3f, 0f),
                new Case("stories260K prompt 2", "models/stories260K.gguf", "stories260K/prompt2", 1e-3f, 0f),
                new Case("synth-A F32", "models/synth-A-F32.gguf", "synthetic/synth-A-F32", 1e-3f, 0f),
                new Case("synth-A F16", "models/synth-A-F16.gguf", "synthetic/synth-A-F16", 0.1f, 0.1f),
                new Case("synth-A Q8_0", "models/synth-A-Q8_0.gguf", "synthetic/synth-A-Q8_0", 0.1f, 0.1f),
                new Case("synth-A Q4_K_M", "models/synth-A-Q4_K_M.gguf", "synthetic/synth-A-Q4_K_M", 0.1f, 0.1f))
                .map(Arguments::of);
    }

    /** Token sequence that reproduces llama.cpp's logits rows: prompt + all generated tokens but the last. */
    static int[] teacherForcedTokens(Map<String, Object> json, int rows) {
        int[] prompt = Json.ints(json, "prompt_token_ids");
        int[] generated = Json.ints(json, "generated_token_ids");
        int[] tokens = new int[prompt.length + rows - 1];
        System.arraycopy(prompt, 0, tokens, 0, prompt.length);
        System.arraycopy(generated, 0, tokens, prompt.length, rows - 1);
        return tokens;
    }

    static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[off + i] > v[off + best]) {
                best = i;
            }
        }
        return best;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void teacherForcedLogitsMatchLlamaCpp(Case c) throws IOException {
        Path modelFile = ReferenceData.file(c.model());
        Map<String, Object> json = Json.object(ReferenceData.file(c.reference() + ".f32kv.json"));
        float[] expected = ReferenceData.floats(ReferenceData.file(c.reference() + ".f32kv.logits.f32.bin"));
        float[] f64 = ReferenceData.floats(ReferenceData.file(c.reference() + ".numpy-f64.logits.f32.bin"));
        double[] gaps = Json.doubles(json, "top1_minus_top2_logit_gap");
        try (Model model = Model.builder(modelFile).contextLength(256).threads(2).open()) {
            int vocab = model.config().vocabSize();
            int rows = expected.length / vocab;
            int[] tokens = teacherForcedTokens(json, rows);
            int promptLength = tokens.length - rows + 1;
            float[][] all = model.evaluateAll(tokens);

            double maxDiff = 0;
            double maxDiffF64 = 0;
            double llamaVsF64 = 0;
            for (int r = 0; r < rows; r++) {
                float[] ours = all[promptLength - 1 + r];
                for (int i = 0; i < vocab; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(ours[i] - expected[r * vocab + i]));
                    maxDiffF64 = Math.max(maxDiffF64, Math.abs(ours[i] - f64[r * vocab + i]));
                    llamaVsF64 = Math.max(llamaVsF64, Math.abs(expected[r * vocab + i] - f64[r * vocab + i]));
                }
                if (gaps[r] > c.argmaxGap()) {
                    assertThat(argmax(ours, 0, vocab)).as("%s: argmax of row %d (gap %.4f)", c, r, gaps[r])
                            .isEqualTo(argmax(expected, r * vocab, vocab));
                }
            }
            System.out.printf("%s: max |Δlogit| vs llama.cpp f32kv %.3g, vs numpy-f64 %.3g (llama.cpp vs numpy-f64 %.3g), %d rows%n",
                    c, maxDiff, maxDiffF64, llamaVsF64, rows);
            assertThat(maxDiff).as("%s: max |Δlogit| against llama.cpp", c).isLessThanOrEqualTo(c.tolerance());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tokenByTokenMatchesOneBatch(Case c) throws IOException {
        Path modelFile = ReferenceData.file(c.model());
        Map<String, Object> json = Json.object(ReferenceData.file(c.reference() + ".f32kv.json"));
        try (Model model = Model.builder(modelFile).contextLength(256).threads(2).open()) {
            int rows = Json.ints(json, "generated_token_ids").length;
            int[] tokens = teacherForcedTokens(json, rows);
            float[][] batch = model.evaluateAll(tokens);
            Session s = model.newSession();
            for (int t = 0; t < tokens.length; t++) {
                float[] step = s.feed(tokens[t]);
                double scale = 0;
                for (float v : batch[t]) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int i = 0; i < step.length; i++) {
                    assertThat((double) step[i]).as("%s position %d logit %d", c, t, i)
                            .isCloseTo(batch[t][i], org.assertj.core.api.Assertions.within(1e-4 * scale));
                }
            }
            assertThat(s.position()).isEqualTo(tokens.length);
        }
    }
}
