package dev.pagoda.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.synth.FileType;
import dev.pagoda.core.synth.ModelShape;
import dev.pagoda.core.synth.ModelSynthesizer;
import dev.pagoda.core.synth.PlannedTensor;
import dev.pagoda.core.synth.QuantMix;
import dev.pagoda.core.synth.SynthOptions;
import dev.pagoda.core.synth.WeightMode;
import dev.pagoda.gguf.GgmlType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Q4_K_M file whose FFN width (640) is not a whole number of 256-value K-blocks: as
 * llama-quantize does, its {@code ffn_down} tensors fall back to Q5_0 (and Q8_0). Such files were
 * refused at open before Q5_0 had a row kernel; now they run, and the batched prefill (which
 * dequantizes slices) agrees with token-by-token decode (which runs the row kernels).
 */
class FallbackTypesModelTest {
    private static final ModelShape ODD = new ModelShape("odd", 256, 2, 8, 4, 640, 2048, 1024, 10000, null, false, 16);

    @TempDir
    Path dir;

    @Test
    void q4_K_MFileWithQ5_0FallbacksRunsAndPrefillMatchesDecode() throws Exception {
        assertThat(QuantMix.plan(ODD, FileType.Q4_K_M)).extracting(PlannedTensor::type).contains(GgmlType.Q5_0);
        Path file = dir.resolve("odd-q4_k_m.gguf");
        ModelSynthesizer.write(new SynthOptions(ODD, FileType.Q4_K_M, 5, WeightMode.FAST, 1), file);
        int[] ids = {1, 17, 300, 42, 1999, 7, 512, 64};
        try (Model model = Model.builder(file).backend(Backend.CPU).threads(2).contextLength(64).open()) {
            float[][] batch = model.evaluateAll(ids);
            try (Session s = model.newSession()) {
                for (int p = 0; p < ids.length; p++) {
                    float[] one = s.feed(ids[p]);
                    float scale = 0;
                    for (float v : batch[p]) {
                        assertThat(Float.isFinite(v)).as("logit at position %d is finite", p).isTrue();
                        scale = Math.max(scale, Math.abs(v));
                    }
                    for (int i = 0; i < one.length; i++) {
                        assertThat(one[i]).as("position %d logit %d", p, i).isCloseTo(batch[p][i], within(1e-4f * scale + 1e-6f));
                    }
                }
            }
        }
    }
}
