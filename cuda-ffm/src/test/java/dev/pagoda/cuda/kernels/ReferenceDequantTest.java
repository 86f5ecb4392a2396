package dev.pagoda.cuda.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The scalar reference the kernel tests trust must itself match ggml's dequantization bit for bit. */
class ReferenceDequantTest {

    @ParameterizedTest
    @EnumSource(WeightType.class)
    void matchesGgmlDequantVectors(WeightType type) throws IOException {
        String shared = System.getProperty("pagoda.shared");
        assumeTrue(shared != null, "skipped: system property pagoda.shared (the reference data folder) is not set");
        Path dir = Path.of(shared, "reference", "dequant", "seedA", type.name().toLowerCase().replace("_k", "_K"));
        assumeTrue(Files.isDirectory(dir), "skipped: ggml dequantization vectors not found at " + dir);
        byte[] quantized = Files.readAllBytes(dir.resolve("quantized.bin"));
        ByteBuffer expected = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("dequantized.f32.bin"))).order(ByteOrder.LITTLE_ENDIAN);
        float[] ours = ReferenceDequant.dequantize(type, quantized, 0, 4, 1024);
        for (int i = 0; i < ours.length; i++) {
            float want = expected.getFloat(4 * i);
            assertThat(Float.floatToIntBits(ours[i])).as("%s element %d: %s vs ggml %s", type, i, ours[i], want)
                    .isEqualTo(Float.floatToIntBits(want));
        }
    }

    @Test
    void blockGeometryIsGgmls() {
        assertThat(WeightType.Q4_K.rowBytes(4096)).isEqualTo(16 * 144);
        assertThat(WeightType.Q6_K.rowBytes(14336)).isEqualTo(56 * 210);
        assertThat(WeightType.Q8_0.rowBytes(4096)).isEqualTo(128 * 34);
        assertThat(WeightType.Q4_0.blockBytes()).isEqualTo(18);
        assertThat(WeightType.Q5_K.blockBytes()).isEqualTo(176);
    }
}
