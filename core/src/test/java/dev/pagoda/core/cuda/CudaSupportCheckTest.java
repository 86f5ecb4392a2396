package dev.pagoda.core.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Model;
import dev.pagoda.core.llama.LlamaLoader;
import dev.pagoda.core.synth.FileType;
import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which models the CUDA kernels accept, decided on the host without a GPU: F32 matrices are read like
 * every other kernel format, float rows of any width (stories260K's FFN of 172) are accepted, and a
 * tensor type without a kernel is refused by name.
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
    void stories260KIsAcceptedWithItsFeedForwardOf172() throws IOException {
        assertThat(why(ReferenceData.file("models/stories260K.gguf"))).isEmpty();
    }

    /** Float rows of any width run (the any-width kernels); the CPU runs the same odd-shaped file, finitely. */
    @ParameterizedTest
    @EnumSource(value = FileType.class, names = {"F32", "F16"})
    void floatModelsOfOddWidthsAreAccepted(FileType type, @TempDir Path dir) throws IOException {
        Path file = OddShapes.write(OddShapes.FLOAT, type, dir);
        assertThat(why(file)).isEmpty();
        try (Model model = Model.builder(file).backend(Backend.CPU).contextLength(64).threads(1).open()) {
            float[][] rows = model.evaluateAll(new int[]{1, 20, 250, 7});
            for (float[] row : rows) {
                for (float v : row) {
                    assertThat(v).isFinite();
                }
            }
        }
    }

    @Test
    void aQuantizedTypeWithoutAKernelIsRefusedByTensorName(@TempDir Path dir) throws IOException {
        Path file = OddShapes.write(OddShapes.Q5_0_FALLBACK, FileType.Q4_K_M, dir);
        assertThat(why(file)).hasValueSatisfying(reason -> assertThat(reason).contains("tensor ").contains("Q5_0")
                .contains("do not read"));
    }

    @Test
    void typesWithoutAKernelAreNamed() {
        assertThat(ResidentWeights.weightType(dev.pagoda.gguf.GgmlType.Q5_0)).isEmpty();
        assertThat(ResidentWeights.weightType(dev.pagoda.gguf.GgmlType.Q2_K)).isEmpty();
    }
}
