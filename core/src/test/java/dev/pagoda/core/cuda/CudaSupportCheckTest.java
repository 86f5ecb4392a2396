package dev.pagoda.core.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.llama.LlamaLoader;
import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which models the CUDA kernels accept, decided on the host without a GPU: F32 matrices are read like
 * every other kernel format, and a row width that is not a multiple of 32 is still refused by name.
 */
class CudaSupportCheckTest {

    private static Optional<String> why(Path path) throws IOException {
        try (GgufFile file = GgufFile.open(path)) {
            LlamaLoader.Loaded loaded = LlamaLoader.load(file);
            return CudaEngine.unsupported(loaded.config(), loaded.weights());
        }
    }

    @Test
    void f32MatricesAreAccepted() throws IOException {
        assertThat(why(ReferenceData.file("models/synth-A-F32.gguf"))).isEmpty();
        assertThat(ResidentWeights.weightType(dev.pagoda.gguf.GgmlType.F32))
                .contains(dev.pagoda.cuda.kernels.WeightType.F32);
    }

    @Test
    void stories260KIsRefusedForItsFeedForwardWidthNotItsType() throws IOException {
        assertThat(why(ReferenceData.file("models/stories260K.gguf"))).hasValueSatisfying(reason -> assertThat(reason)
                .contains("ffn_down").contains("172").contains("multiple of 32").doesNotContain(" is F32"));
    }

    @Test
    void typesWithoutAKernelAreNamed() {
        assertThat(ResidentWeights.weightType(dev.pagoda.gguf.GgmlType.Q5_0)).isEmpty();
        assertThat(ResidentWeights.weightType(dev.pagoda.gguf.GgmlType.Q2_K)).isEmpty();
    }
}
