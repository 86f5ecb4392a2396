package dev.pagoda.core.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.cuda.kernels.MatVecInput;
import java.util.ArrayList;
import java.util.List;

/**
 * The logits of a greedy continuation on the CUDA backend with one system property set while the model opens
 * (the decode graph reads its switches then), for the tests that hold two builds of the step to the same bits.
 */
final class GreedyDecodeLogits {
    private GreedyDecodeLogits() {
    }

    /** The logits of {@code steps} greedy one-token steps after a short prompt, with {@code property=value}. */
    static List<float[]> decode(String model, MatVecInput input, String property, String value, int steps)
            throws Exception {
        String before = System.getProperty(property);
        System.setProperty(property, value);
        try (Model m = Model.builder(ReferenceData.file(model)).backend(Backend.CUDA).contextLength(128)
                .activations(input).open(); Session s = m.newSession()) {
            float[] logits = s.feed(m.tokenize("Once upon a time", true));
            List<float[]> out = new ArrayList<>();
            for (int step = 0; step < steps; step++) {
                logits = s.feed(new int[]{CudaBackendTest.argmax(logits, 0, logits.length)});
                out.add(logits.clone());
            }
            assertThat(out).hasSize(steps);
            return out;
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }

    /** Fails naming the first step and logit whose bits differ; {@code gotIs} / {@code wantIs} say which build. */
    static void assertSameBits(List<float[]> want, List<float[]> got, String what, String gotIs, String wantIs) {
        assertThat(got).hasSameSizeAs(want);
        for (int step = 0; step < want.size(); step++) {
            float[] w = want.get(step), g = got.get(step);
            for (int i = 0; i < w.length; i++) {
                if (Float.floatToIntBits(w[i]) != Float.floatToIntBits(g[i])) {
                    throw new AssertionError(what + ": step " + step + " logit " + i + " is " + g[i] + " " + gotIs
                            + ", " + w[i] + " " + wantIs);
                }
            }
        }
    }
}
