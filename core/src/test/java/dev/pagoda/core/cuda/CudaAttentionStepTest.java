package dev.pagoda.core.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.kernels.AttentionDecodeStep;
import dev.pagoda.cuda.kernels.MatVecInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The decode step with each layer's attention as one launch ({@code -Dpagoda.cuda.attentionStep=true},
 * AttentionDecodeStep) computes exactly what rope_qk_store and the one-token attention kernels compute:
 * every step's logits bit for bit over a greedy continuation, so the cache rows it stores and the
 * partials its last blocks merge are the same. Needs a GPU and {@code ../shared/reference}; skipped with
 * the reason otherwise.
 */
class CudaAttentionStepTest {
    private static final int STEPS = 40;

    @BeforeAll
    static void requireGpu() {
        Optional<Cuda> cuda = Cuda.tryOpen();
        if (cuda.isEmpty()) {
            System.out.println("[pagoda] CudaAttentionStepTest skipped: no CUDA device here (driver missing or no GPU)");
        }
        Assumptions.assumeTrue(cuda.isPresent(),
                "no CUDA device here (driver missing or no GPU): the one-launch attention tests are skipped");
        cuda.get().close();
    }

    @ParameterizedTest
    @CsvSource({"models/stories260K.gguf, FLOAT32", "models/synth-A-Q4_K_M.gguf, INT8", "models/synth-A-Q8_0.gguf, INT8"})
    void oneLaunchAttentionDecodesTheSameLogitsBitForBit(String model, MatVecInput input) throws Exception {
        List<float[]> threeLaunches = decode(model, input, false);
        List<float[]> oneLaunch = decode(model, input, true);
        for (int step = 0; step < STEPS; step++) {
            float[] want = threeLaunches.get(step), got = oneLaunch.get(step);
            for (int i = 0; i < want.length; i++) {
                if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                    throw new AssertionError(model + " " + input + ": step " + step + " logit " + i + " is " + got[i]
                            + " with one attention launch, " + want[i] + " with three");
                }
            }
        }
    }

    // the logits of STEPS greedy one-token steps after a short prompt, the graph built with or without the one launch
    private static List<float[]> decode(String model, MatVecInput input, boolean oneLaunch) throws Exception {
        String before = System.getProperty(AttentionDecodeStep.PROPERTY);
        System.setProperty(AttentionDecodeStep.PROPERTY, Boolean.toString(oneLaunch));
        try (Model m = Model.builder(ReferenceData.file(model)).backend(Backend.CUDA).contextLength(128)
                .activations(input).open(); Session s = m.newSession()) {
            float[] logits = s.feed(m.tokenize("Once upon a time", true));
            List<float[]> steps = new ArrayList<>();
            for (int step = 0; step < STEPS; step++) {
                logits = s.feed(new int[]{CudaBackendTest.argmax(logits, 0, logits.length)});
                steps.add(logits.clone());
            }
            assertThat(steps).hasSize(STEPS);
            return steps;
        } finally {
            if (before == null) {
                System.clearProperty(AttentionDecodeStep.PROPERTY);
            } else {
                System.setProperty(AttentionDecodeStep.PROPERTY, before);
            }
        }
    }
}
