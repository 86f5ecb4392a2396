package dev.pagoda.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.gguf.GgmlType;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The threaded, vectorised matmul (both the decode and the prefill path) against the scalar reference. */
class CpuMatmulTest {
    private static WorkerPool pool;

    @BeforeAll
    static void startPool() {
        pool = new WorkerPool(3);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void matmulMatchesScalarReferenceForEveryBatchSize(GgmlType type) {
        Random rnd = new Random(31 + type.id());
        int cols = type.blockSize() == 1 ? 172 : 512;
        int rows = 23;
        WeightTensor w = new WeightTensor("w", type, rows, cols, RandomWeights.rows(type, rows, cols, rnd));
        for (int batch : new int[] {1, 3, 4, 9}) {
            float[] x = RandomWeights.gaussian(batch * cols, rnd);
            float[] fast = new float[batch * rows];
            float[] ref = new float[batch * rows];
            CpuMatmul.matmul(pool, w, x, batch, fast);
            CpuMatmul.matmulScalar(w, x, batch, ref);
            for (int i = 0; i < fast.length; i++) {
                assertThat(fast[i]).as("%s batch %d element %d", type, batch, i)
                        .isCloseTo(ref[i], within(1e-4f * (1 + Math.abs(ref[i]))));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "Q8_0", "Q4_K", "Q6_K"})
    void prefillOverSeveralColumnSlicesMatchesScalarReference(GgmlType type) {
        Random rnd = new Random(77 + type.id());
        int cols = 2560;    // two full 1024-column slices and a partial one
        int rows = 10;      // two row groups of four and a partial one
        WeightTensor w = new WeightTensor("w", type, rows, cols, RandomWeights.rows(type, rows, cols, rnd));
        for (int batch : new int[] {4, 11}) {
            float[] x = RandomWeights.gaussian(batch * cols, rnd);
            float[] fast = new float[batch * rows];
            float[] ref = new float[batch * rows];
            CpuMatmul.matmul(pool, w, x, batch, fast);
            CpuMatmul.matmulScalar(w, x, batch, ref);
            for (int i = 0; i < fast.length; i++) {
                assertThat(fast[i]).as("%s batch %d element %d", type, batch, i)
                        .isCloseTo(ref[i], within(1e-3f * (1 + Math.abs(ref[i]))));
            }
        }
    }

    @Test
    void tileOfFourRowsByFourTokensMatchesScalarReference() {
        Random rnd = new Random(9);
        for (int n : new int[] {1, 7, 16, 64, 171, 1024}) {
            float[] w = RandomWeights.gaussian(4 * n, rnd);
            int stride = n + 5;
            float[] x = RandomWeights.gaussian(3 + 4 * stride, rnd);
            float[] fast = new float[2 + FloatDot.DOT4X4_SUMS];
            float[] ref = new float[18];
            fast[0] = 17f;
            fast[1] = -3f;
            FloatDot.dot4x4(w, n, x, 3, stride, fast, 2);
            FloatDot.dot4x4Scalar(w, n, x, 3, stride, ref, 2);
            assertThat(fast[0]).as("before sumsOff").isEqualTo(17f);
            assertThat(fast[1]).as("before sumsOff").isEqualTo(-3f);
            for (int i = 2; i < 18; i++) {
                assertThat(fast[i]).as("n=%d sum %d", n, i).isCloseTo(ref[i], within(1e-4f * (1 + Math.abs(ref[i]))));
            }
        }
    }

    @Test
    void floatDotsMatchScalarReference() {
        Random rnd = new Random(5);
        for (int n : new int[] {1, 7, 8, 64, 171, 1000}) {
            float[] a = RandomWeights.gaussian(4 * n, rnd);
            float[] x = RandomWeights.gaussian(n + 2, rnd);
            float[] out = new float[4];
            FloatDot.dot4(a, x, 2, n, out, 0, 1);
            for (int k = 0; k < 4; k++) {
                float ref = FloatDot.dotScalar(a, k * n, x, 2, n);
                assertThat(FloatDot.dot(a, k * n, x, 2, n)).isCloseTo(ref, within(1e-4f * (1 + Math.abs(ref))));
                assertThat(out[k]).isCloseTo(ref, within(1e-4f * (1 + Math.abs(ref))));
            }
        }
    }

    @Test
    void poolCoversEveryIndexExactlyOnceAndReportsFailures() {
        for (int n : new int[] {0, 1, 2, 5, 1000}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(n, 1));
            for (int rep = 0; rep < 50; rep++) {
                pool.forEachRange(n, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        seen.incrementAndGet(i);
                    }
                });
            }
            for (int i = 0; i < n; i++) {
                assertThat(seen.get(i)).as("n=%d index %d", n, i).isEqualTo(50);
            }
        }
        assertThatThrownBy(() -> pool.forEachRange(100, (from, to) -> {
                    if (to == 100) {
                        throw new IllegalStateException("boom in last chunk");
                    }
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("boom in last chunk");
    }

    @Test
    void matricesSharingAnInputGiveEachMatmulsExactResult() {
        // q/k/v of a Q4_K_M file: two formats, unequal row counts; enough work to go to the pool
        Random rnd = new Random(41);
        int cols = 1024;
        WeightTensor[] ws = {
            new WeightTensor("q", GgmlType.Q4_K, 40, cols, RandomWeights.rows(GgmlType.Q4_K, 40, cols, rnd)),
            new WeightTensor("k", GgmlType.Q4_K, 9, cols, RandomWeights.rows(GgmlType.Q4_K, 9, cols, rnd)),
            new WeightTensor("v", GgmlType.Q6_K, 9, cols, RandomWeights.rows(GgmlType.Q6_K, 9, cols, rnd))};
        for (int batch : new int[] {1, 2, 5}) {
            float[] x = RandomWeights.gaussian(batch * cols, rnd);
            float[][] together = new float[3][];
            for (int i = 0; i < 3; i++) {
                together[i] = new float[batch * ws[i].rows()];
            }
            CpuMatmul.matmuls(pool, ws, x, batch, together);
            for (int i = 0; i < 3; i++) {
                float[] alone = new float[batch * ws[i].rows()];
                CpuMatmul.matmul(pool, ws[i], x, batch, alone);
                assertThat(together[i]).as("%s, batch %d", ws[i].name(), batch).containsExactly(alone);
            }
        }
        assertThatThrownBy(() -> CpuMatmul.matmuls(pool, ws, new float[cols], 1, new float[2][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("3 matrices but 2 outputs");
    }

    @Test
    void gatedProjectionGivesTheTwoProductsAndSwiGluExactly() {
        Random rnd = new Random(43);
        int cols = 1024;
        int width = 48;
        WeightTensor gate = new WeightTensor("gate", GgmlType.Q4_K, width, cols, RandomWeights.rows(GgmlType.Q4_K, width, cols, rnd));
        WeightTensor up = new WeightTensor("up", GgmlType.Q6_K, width, cols, RandomWeights.rows(GgmlType.Q6_K, width, cols, rnd));
        try (CpuBackend backend = new CpuBackend(3)) {
            for (int batch : new int[] {1, 3, 4}) {
                float[] x = RandomWeights.gaussian(batch * cols, rnd);
                float[] g = new float[batch * width];
                float[] u = new float[batch * width];
                backend.gatedProjection(gate, up, x, batch, width, g, u);
                float[] refG = new float[batch * width];
                float[] refU = new float[batch * width];
                backend.matmul(gate, x, batch, refG);
                backend.matmul(up, x, batch, refU);
                backend.swiglu(refG, refU, batch * width);
                assertThat(u).as("up, batch %d", batch).containsExactly(refU);
                assertThat(g).as("silu(gate) * up, batch %d", batch).containsExactly(refG);
            }
        }
        // a matrix with a share of the rows only (hybrid streaming) is not fused
        WeightTensor part = new WeightTensor("gate", GgmlType.Q4_K, 16, cols, RandomWeights.rows(GgmlType.Q4_K, 16, cols, rnd));
        assertThat(CpuMatmul.gated(pool, part, up, new float[cols], 1, width, new float[width], new float[width])).isFalse();
    }
}
