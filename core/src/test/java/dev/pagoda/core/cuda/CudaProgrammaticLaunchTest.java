package dev.pagoda.core.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.kernels.MatVecInput;
import java.util.ArrayList;
import java.util.List;
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
        List<float[]> plain = decode(model, input, false);
        List<float[]> programmatic = decode(model, input, true);
        for (int step = 0; step < STEPS; step++) {
            float[] want = plain.get(step), got = programmatic.get(step);
            for (int i = 0; i < want.length; i++) {
                if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                    throw new AssertionError(model + " " + input + " x: step " + step + " logit " + i + " is "
                            + got[i] + " with programmatic launches, " + want[i] + " without");
                }
            }
        }
    }

    // the logits of STEPS greedy one-token steps after a short prompt, the decode graph captured with or without
    private static List<float[]> decode(String model, MatVecInput input, boolean programmatic) throws Exception {
        String before = System.getProperty(CudaForwardPass.PROGRAMMATIC_LAUNCH_PROPERTY);
        System.setProperty(CudaForwardPass.PROGRAMMATIC_LAUNCH_PROPERTY, Boolean.toString(programmatic));
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
                System.clearProperty(CudaForwardPass.PROGRAMMATIC_LAUNCH_PROPERTY);
            } else {
                System.setProperty(CudaForwardPass.PROGRAMMATIC_LAUNCH_PROPERTY, before);
            }
        }
    }
}
