package dev.pagoda.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.backend.KvCache;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CpuAttentionTest {

    /** Sixteen rows at once against the scalar dot of each row, for widths the blocked form takes. */
    @Test
    void dot16MatchesScalarDots() {
        Random rnd = new Random(3);
        for (int n : new int[] {16, 64, 128}) {
            if (!FloatDot.dot16Fits(n)) {
                continue;
            }
            int stride = n + 40;
            float[] x = RandomWeights.gaussian(n + 5, rnd);
            float[] rows = RandomWeights.gaussian(7 + 16 * stride, rnd);
            float[] out = new float[20];
            float[] work = new float[FloatDot.DOT16_WORK + 2];
            FloatDot.dot16(x, 5, rows, 7, stride, n, out, 3, work, 2);
            for (int j = 0; j < 16; j++) {
                float ref = FloatDot.dotScalar(x, 5, rows, 7 + j * stride, n);
                assertThat(out[3 + j]).as("n=%d row %d", n, j).isCloseTo(ref, within(1e-4f * (1 + Math.abs(ref))));
            }
        }
    }

    /**
     * Causal GQA attention (head width 64, 8 query heads over 2 KV heads) of a batch of 3 tokens after 34
     * cached positions, so both the 16-key blocks and the remainder run, against the same math in double.
     */
    @Test
    void attentionMatchesADoubleReference() {
        int heads = 8, kvHeads = 2, hd = 64, start = 34, batch = 3;
        Random rnd = new Random(5);
        KvCache cache = new KvCache(1, 64, kvHeads * hd, kvHeads * hd, KvCacheType.F32);
        float[][] keys = new float[start + batch][];
        float[][] values = new float[start + batch][];
        cache.reserve(start);
        for (int p = 0; p < start; p++) {
            keys[p] = RandomWeights.gaussian(kvHeads * hd, rnd);
            values[p] = RandomWeights.gaussian(kvHeads * hd, rnd);
            cache.store(0, p, keys[p], 0, values[p], 0);
        }
        float[] k = RandomWeights.gaussian(batch * kvHeads * hd, rnd);
        float[] v = RandomWeights.gaussian(batch * kvHeads * hd, rnd);
        for (int b = 0; b < batch; b++) {
            keys[start + b] = java.util.Arrays.copyOfRange(k, b * kvHeads * hd, (b + 1) * kvHeads * hd);
            values[start + b] = java.util.Arrays.copyOfRange(v, b * kvHeads * hd, (b + 1) * kvHeads * hd);
        }
        float[] q = RandomWeights.gaussian(batch * heads * hd, rnd);
        float[] out = new float[batch * heads * hd];
        float scale = 0.125f;
        try (CpuBackend backend = new CpuBackend(2)) {
            backend.attention(cache, 0, q, k, v, batch, start, heads, kvHeads, hd, hd, scale, out);
        }
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int kvh = h / (heads / kvHeads);
                int positions = start + b + 1;
                double[] s = new double[positions];
                double max = Double.NEGATIVE_INFINITY;
                for (int p = 0; p < positions; p++) {
                    double dot = 0;
                    for (int i = 0; i < hd; i++) {
                        dot += (double) q[(b * heads + h) * hd + i] * keys[p][kvh * hd + i];
                    }
                    s[p] = dot * scale;
                    max = Math.max(max, s[p]);
                }
                double sum = 0;
                for (int p = 0; p < positions; p++) {
                    s[p] = Math.exp(s[p] - max);
                    sum += s[p];
                }
                for (int i = 0; i < hd; i++) {
                    double o = 0;
                    for (int p = 0; p < positions; p++) {
                        o += s[p] / sum * values[p][kvh * hd + i];
                    }
                    assertThat((double) out[(b * heads + h) * hd + i]).as("token %d head %d element %d", b, h, i)
                            .isCloseTo(o, within(1e-4));
                }
            }
        }
    }
}
