package dev.pagoda.core.cuda;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.kernels.AttentionDecodeStep;
import dev.pagoda.cuda.kernels.MatVecInput;
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
        String property = AttentionDecodeStep.PROPERTY;
        GreedyDecodeLogits.assertSameBits(GreedyDecodeLogits.decode(model, input, property, "false", STEPS),
                GreedyDecodeLogits.decode(model, input, property, "true", STEPS), model + " " + input,
                "with one attention launch", "with three");
    }
}
