package dev.pagoda.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.core.Generation;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Sampler#sampleCandidates} picks exactly what {@link Sampler#sample} picks from the whole logits
 * vector, given the best candidates after the penalty as a device returns them (best first, the lower id
 * first on a tie): greedy with a penalty, top-k alone and with top-p, min-p and a penalty, on logits
 * with many ties, over long runs of draws from the same seed.
 */
class SamplerCandidatesTest {
    private static final int CANDIDATES = 64;

    @Test
    void picksWhatTheWholeVectorPicks() {
        SplittableRandom random = new SplittableRandom(9);
        int vocab = 5000;
        List<Generation> generations = List.of(Generation.greedy().repeatPenalty(1.3),
                Generation.sampled(0.8).topK(40).topP(1.0).minP(0.0).seed(1),
                Generation.sampled().seed(2),  // llama.cpp's defaults: top-k 40, top-p 0.95, min-p 0.05
                Generation.sampled(1.5).topK(64).topP(0.9).minP(0.01).repeatPenalty(1.2).repeatLastN(32).seed(3),
                Generation.sampled(0.3).topK(1).seed(4));
        for (Generation g : generations) {
            Sampler whole = new Sampler(g);
            Sampler device = new Sampler(g);
            assertThat(device.candidatesNeeded(vocab)).isBetween(1, CANDIDATES);
            int[] history = new int[400];
            int length = 0;
            for (int step = 0; step < 300; step++) {
                float[] logits = new float[vocab];
                for (int i = 0; i < vocab; i++) {
                    logits[i] = Math.round(random.nextGaussian() * 12) / 4.0f;  // coarse: many ties
                }
                history[length++] = random.nextInt(vocab);
                int want = whole.sample(logits, history, length);

                int[] penalized = new int[Math.min(g.repeatLastN(), length)];
                int count = device.penalizedIds(vocab, history, length, penalized);
                float[] work = logits.clone();
                for (int i = 0; i < count; i++) {
                    float l = work[penalized[i]];
                    work[penalized[i]] = l <= 0 ? l * device.repeatPenalty() : l / device.repeatPenalty();
                }
                long[] keys = new long[vocab];
                for (int i = 0; i < vocab; i++) {
                    keys[i] = Sampler.pack(work[i], i);
                }
                Arrays.sort(keys);
                float[] best = new float[CANDIDATES];
                int[] ids = new int[CANDIDATES];
                for (int i = 0; i < CANDIDATES; i++) {
                    ids[i] = Sampler.unpackId(keys[vocab - 1 - i]);
                    best[i] = work[ids[i]];
                }
                assertThat(device.sampleCandidates(vocab, best, ids, CANDIDATES)).as("%s, step %d", g, step)
                        .isEqualTo(want);
            }
        }
    }

    @Test
    void needsTheWholeVectorWithoutTopK() {
        assertThat(new Sampler(Generation.sampled().topK(0)).candidatesNeeded(1000)).isZero();
        assertThat(new Sampler(Generation.sampled().topK(1000)).candidatesNeeded(1000)).isZero();
        assertThat(new Sampler(Generation.greedy()).candidatesNeeded(1000)).isEqualTo(1);
        Sampler sampler = new Sampler(Generation.sampled().topK(40));
        assertThatThrownBy(() -> sampler.sampleCandidates(1000, new float[10], new int[10], 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 40");
        float[] minusInfinity = new float[40];
        Arrays.fill(minusInfinity, Float.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> sampler.sampleCandidates(1000, minusInfinity, new int[40], 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-infinity");
    }
}
