package dev.pagoda.gguf.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Quantize-then-dequantize on fresh data other than the reference set stays as accurate as ggml. */
class QuantizeRoundTripTest {
    /**
     * RMSE of ggml's own round trip on N(0,1) data (reference manifest, seedA row 0), times 1.25 for
     * a different random sample.
     */
    private static final Map<GgmlType, Double> RMSE_LIMIT_UNIT_GAUSSIAN = Map.ofEntries(
            Map.entry(GgmlType.F16, 0.000206 * 1.25),
            Map.entry(GgmlType.BF16, 0.00172 * 1.25),
            Map.entry(GgmlType.Q4_0, 0.0882 * 1.25),
            Map.entry(GgmlType.Q4_1, 0.0805 * 1.25),
            Map.entry(GgmlType.Q5_0, 0.0443 * 1.25),
            Map.entry(GgmlType.Q5_1, 0.0380 * 1.25),
            Map.entry(GgmlType.Q8_0, 0.00544 * 1.25),
            Map.entry(GgmlType.Q2_K, 0.290 * 1.25),
            Map.entry(GgmlType.Q3_K, 0.151 * 1.25),
            Map.entry(GgmlType.Q4_K, 0.0720 * 1.25),
            Map.entry(GgmlType.Q5_K, 0.0364 * 1.25),
            Map.entry(GgmlType.Q6_K, 0.0184 * 1.25));

    @ParameterizedTest
    @EnumSource(names = {"F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K",
            "Q6_K"})
    void roundTripErrorOnGaussianDataIsWithinGgmlsOwn(GgmlType type) {
        SplittableRandom random = new SplittableRandom(99 + type.id());
        float[] x = new float[16 * 1024];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] back = type.dequantize(MemorySegment.ofArray(type.quantize(x, 0, x.length)), x.length);
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double e = back[i] - x[i];
            sum += e * e;
        }
        assertThat(Math.sqrt(sum / x.length)).as("%s RMSE", type).isLessThan(RMSE_LIMIT_UNIT_GAUSSIAN.get(type));
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void allZeroBlocksRoundTripToZero(GgmlType type) {
        float[] zeros = new float[2 * type.blockSize()];
        float[] back = type.dequantize(MemorySegment.ofArray(type.quantize(zeros, 0, zeros.length)), zeros.length);
        // ggml gives -0.0 for some types ((0 − 8)·0 in Q4_0): zero of either sign is right.
        for (int i = 0; i < back.length; i++) {
            assertThat(back[i] == 0f).as("%s element %d = %s", type, i, back[i]).isTrue();
        }
    }

    @Test
    void concurrentRowsQuantizeExactlyAsSequentialOnes() throws Exception {
        GgmlType type = GgmlType.Q4_K;
        int rows = 16;
        int cols = 1024;
        SplittableRandom random = new SplittableRandom(5);
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        byte[] sequential = type.quantize(x, 0, x.length);
        byte[] parallel = new byte[sequential.length];
        MemorySegment dst = MemorySegment.ofArray(parallel);
        long rowBytes = type.byteSize(cols);
        java.util.stream.IntStream.range(0, rows).parallel()
                .forEach(r -> type.quantize(x, r * cols, cols, dst, r * rowBytes));
        assertThat(parallel).isEqualTo(sequential);
    }
}
