package dev.pagoda.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The elementwise ops give the same bits on a pool of threads as on one: SwiGLU, add, RMSNorm and RoPE
 * at sizes below and above {@link CpuBackend#PARALLEL_ELEMENTS} (one decode token at the 8B shape, a
 * prefill batch), checked against a one-thread backend and, for SwiGLU and add, against the formula.
 */
class CpuBackendElementwiseTest {
    private final SplittableRandom random = new SplittableRandom(11);

    private float[] gaussian(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 8 - 4);
        }
        return v;
    }

    @Test
    void splitOpsMatchOneThreadBitForBit() {
        try (CpuBackend one = new CpuBackend(1); CpuBackend many = new CpuBackend(4)) {
            for (int n : new int[] {1000, CpuBackend.PARALLEL_ELEMENTS, 14336, 16 * 14336 + 5}) {
                float[] gate = gaussian(n);
                float[] up = gaussian(n);
                float[] a = gate.clone();
                float[] b = gate.clone();
                one.swiglu(a, up, n);
                many.swiglu(b, up, n);
                assertThat(Arrays.equals(b, a)).as("swiglu of %d values", n).isTrue();
                for (int i = 0; i < n; i += 997) {
                    float g = gate[i];
                    assertThat(b[i]).isEqualTo((float) (g / (1.0 + Math.exp(-g))) * up[i]);
                }
                float[] x = gaussian(n);
                float[] accA = up.clone();
                float[] accB = up.clone();
                one.add(accA, x, n);
                many.add(accB, x, n);
                assertThat(Arrays.equals(accB, accA)).as("add of %d values", n).isTrue();
                assertThat(accB[n - 1]).isEqualTo(up[n - 1] + x[n - 1]);
            }
            for (int batch : new int[] {1, 3, 64}) {
                int dim = 4096;
                float[] x = gaussian(batch * dim);
                float[] weight = gaussian(dim);
                float[] outA = new float[batch * dim];
                float[] outB = new float[batch * dim];
                one.rmsNorm(x, weight, 1e-5f, batch, outA);
                many.rmsNorm(x, weight, 1e-5f, batch, outB);
                assertThat(Arrays.equals(outB, outA)).as("rmsnorm of %d rows", batch).isTrue();

                int heads = 32;
                int width = 128;
                int half = 64;
                float[] q = gaussian(batch * heads * width);
                float[] cos = gaussian(batch * half);
                float[] sin = gaussian(batch * half);
                float[] qa = q.clone();
                float[] qb = q.clone();
                one.rope(qa, batch, heads, width, half, cos, sin);
                many.rope(qb, batch, heads, width, half, cos, sin);
                assertThat(Arrays.equals(qb, qa)).as("rope of %d tokens", batch).isTrue();
                int last = (batch * heads - 1) * width;
                int b = batch - 1;
                assertThat(qb[last]).isEqualTo(q[last] * cos[b * half] - q[last + 1] * sin[b * half]);
            }
        }
    }
}
