package dev.pagoda.core.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Generation;
import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.sampling.Sampler;
import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.kernels.TopCandidates;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sampling on CUDA from the device's best candidates ({@link Session#feedCandidates}) instead of the
 * logits: the candidates are exactly the best penalized logits of the same step (bit for bit, ties to
 * the lower id), and a seeded sampled run over them picks the same tokens as the sampler over the whole
 * logits vector; {@code Model.generate} takes that path and is reproducible. Needs a GPU and
 * {@code ../shared/reference}; skipped with the reason otherwise.
 */
class CudaSamplingTest {
    @BeforeAll
    static void requireGpu() {
        Optional<Cuda> cuda = Cuda.tryOpen();
        if (cuda.isEmpty()) {
            System.out.println("[pagoda] CudaSamplingTest skipped: no CUDA device here (driver missing or no GPU)");
        }
        Assumptions.assumeTrue(cuda.isPresent(),
                "no CUDA device here (driver missing or no GPU): the CUDA sampling tests are skipped");
        cuda.get().close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"models/stories260K.gguf", "models/synth-A-Q4_K_M.gguf"})
    void candidatesAreTheBestPenalizedLogitsAndSampleAsTheLogitsDo(String model) throws Exception {
        try (Model m = Model.builder(ReferenceData.file(model)).backend(Backend.CUDA).contextLength(128).open()) {
            int vocab = m.config().vocabSize();
            int[] prompt = m.tokenize("Once upon a time there was", true);
            Generation g = Generation.sampled(0.9).repeatPenalty(1.3).repeatLastN(16).seed(21);
            Sampler onLogits = new Sampler(g);
            Sampler onCandidates = new Sampler(g);
            int[] history = Arrays.copyOf(prompt, prompt.length + 48);
            int length = prompt.length;
            try (Session full = m.newSession(); Session device = m.newSession()) {
                assertThat(device.maxCandidates()).isEqualTo(TopCandidates.CANDIDATES);
                float[] logits = full.feed(prompt);
                float[] best = new float[TopCandidates.CANDIDATES];
                int[] ids = new int[TopCandidates.CANDIDATES];
                int[] penalized = new int[16];
                int n = onCandidates.penalizedIds(vocab, history, length, penalized);
                int count = device.feedCandidates(prompt, penalized, n, onCandidates.repeatPenalty(), best, ids);
                for (int step = 0; step < 48; step++) {
                    // the reference: penalize the whole vector as the sampler does, then sort by its packing
                    float[] work = logits.clone();
                    for (int i = 0; i < n; i++) {
                        float l = work[penalized[i]];
                        work[penalized[i]] = l <= 0 ? l * onCandidates.repeatPenalty() : l / onCandidates.repeatPenalty();
                    }
                    Integer[] order = new Integer[vocab];
                    for (int i = 0; i < vocab; i++) {
                        order[i] = i;
                    }
                    Arrays.sort(order, (a, b) -> work[a] != work[b] ? Float.compare(work[b], work[a]) : Integer.compare(a, b));
                    assertThat(count).isEqualTo(Math.min(vocab, TopCandidates.CANDIDATES));
                    for (int i = 0; i < count; i++) {
                        assertThat(ids[i]).as("%s step %d candidate %d", model, step, i).isEqualTo(order[i]);
                        assertThat(Float.floatToIntBits(best[i])).isEqualTo(Float.floatToIntBits(work[order[i]] + 0.0f));
                    }
                    int want = onLogits.sample(logits, history, length);
                    int got = onCandidates.sampleCandidates(vocab, best, ids, count);
                    assertThat(got).as("%s step %d pick", model, step).isEqualTo(want);
                    history[length++] = got;
                    logits = full.feed(got);
                    n = onCandidates.penalizedIds(vocab, history, length, penalized);
                    count = device.feedCandidates(new int[] {got}, penalized, n, onCandidates.repeatPenalty(), best, ids);
                }
            }
            Generation run = Generation.sampled().seed(5).maxTokens(40);
            String first = m.generate("Once upon a time", run);
            assertThat(first).isNotEmpty();
            assertThat(m.generate("Once upon a time", run)).as("a seeded run on the device's candidates").isEqualTo(first);
        }
    }

    /** Penalized ids the device would write outside the logits, or twice, are refused before anything runs. */
    @Test
    void refusesPenalizedIdsOutsideTheVocabularyOrRepeated() throws Exception {
        try (Model m = Model.builder(ReferenceData.file("models/stories260K.gguf")).backend(Backend.CUDA)
                .contextLength(64).open();
             Session s = m.newSession()) {
            int vocab = m.config().vocabSize();
            float[] best = new float[TopCandidates.CANDIDATES];
            int[] ids = new int[TopCandidates.CANDIDATES];
            assertThatThrownBy(() -> s.feedCandidates(new int[] {1}, new int[] {3, vocab}, 2, 1.1f, best, ids))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the vocabulary");
            assertThatThrownBy(() -> s.feedCandidates(new int[] {1}, new int[] {7, 3, 7}, 3, 1.1f, best, ids))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("given twice");
            assertThat(s.position()).as("nothing was fed").isZero();
            assertThat(s.feedCandidates(new int[] {1}, new int[] {7, 3}, 2, 1.1f, best, ids)).isPositive();
        }
    }
}
