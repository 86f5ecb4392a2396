package dev.pagoda.core.cuda;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.kernels.MatVecInput;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The captured decode step with programmatic launches (each kernel may start while the one before it
 * finishes, CudaForwardPass.programmaticLaunches) computes exactly what the plain graph computes: every
 * step's logits bit for bit, over a greedy continuation. A kernel that touched its inputs before waiting
 * for its predecessor would read stale activations and break the equality. Needs a GPU (the programmatic
 * variant needs compute capability 9.0; on older devices both runs take the plain graph) and
 * {@code ../shared/reference}; skipped with the reason otherwise.
 */
class CudaProgrammaticLaunchTest {
    private static final int STEPS = 40;

    @BeforeAll
    static void requireGpu() {
        Optional<Cuda> cuda = Cuda.tryOpen();
        if (cuda.isEmpty()) {
            System.out.println("[pagoda] CudaProgrammaticLaunchTest skipped: no CUDA device here (driver missing or no GPU)");
        }
        Assumptions.assumeTrue(cuda.isPresent(),
                "no CUDA device here (driver missing or no GPU): the programmatic launch tests are skipped");
        if (!cuda.get().computeCapability().atLeast(9, 0)) {
            System.out.println("[pagoda] CudaProgrammaticLaunchTest: compute capability " + cuda.get().computeCapability()
                    + " has no programmatic launches; both runs take the plain graph");
        }
        cuda.get().close();
    }

    @ParameterizedTest
    @CsvSource({"models/stories260K.gguf, FLOAT32", "models/synth-A-Q4_K_M.gguf, FLOAT32",
            "models/synth-A-Q4_K_M.gguf, INT8", "models/synth-A-Q4_K_M.gguf, INT16", "models/synth-A-Q8_0.gguf, INT8"})
    void programmaticDecodeStepsMatchThePlainGraphBitForBit(String model, MatVecInput input) throws Exception {
        String property = CudaForwardPass.PROGRAMMATIC_LAUNCH_PROPERTY;
        GreedyDecodeLogits.assertSameBits(GreedyDecodeLogits.decode(model, input, property, "false", STEPS),
                GreedyDecodeLogits.decode(model, input, property, "true", STEPS), model + " " + input + " x",
                "with programmatic launches", "without");
    }
}
