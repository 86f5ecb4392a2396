package dev.pagoda.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.core.Generation;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplerTest {

  private static final int[] NO_HISTORY = new int[0];

  /** Logits whose temperature-1 softmax is exactly {@code probabilities}. */
  private static float[] logitsOf(double... probabilities) {
    float[] logits = new float[probabilities.length];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) Math.log(probabilities[i]);
    }
    return logits;
  }

  /** Every id drawn in {@code draws} samples. */
  private static Set<Integer> drawnIds(Generation generation, float[] logits, int draws) {
    Sampler sampler = new Sampler(generation);
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < draws; i++) {
      ids.add(sampler.sample(logits, NO_HISTORY, 0));
    }
    return ids;
  }

  private static Generation unfiltered(double temperature) {
    return Generation.sampled(temperature).topK(0).topP(1.0).minP(0.0).seed(1234);
  }

  @Test
  void greedyPicksTheFirstMaximum() {
    Sampler sampler = new Sampler(Generation.greedy());
    assertThat(sampler.sample(new float[] {1f, 3f, 3f, 2f}, NO_HISTORY, 0)).isEqualTo(1);
    assertThat(sampler.sample(new float[] {5f, -1f, 5f}, NO_HISTORY, 0)).isEqualTo(0);
    assertThat(sampler.sample(new float[] {Float.NEGATIVE_INFINITY, -7f}, NO_HISTORY, 0))
        .isEqualTo(1);
  }

  @Test
  void repeatPenaltyDividesPositiveAndMultipliesNegativeLogits() {
    Generation penalised = Generation.greedy().repeatPenalty(2.0);
    // 2.0 / 2 = 1.0 < 1.9
    assertThat(new Sampler(penalised).sample(new float[] {2f, 1.9f}, new int[] {0}, 1))
        .isEqualTo(1);
    // -1.0 * 2 = -2.0 < -1.5
    assertThat(new Sampler(penalised).sample(new float[] {-1f, -1.5f}, new int[] {0}, 1))
        .isEqualTo(1);
  }

  @Test
  void repeatPenaltyCountsEachDistinctTokenOnce() {
    Generation penalised = Generation.greedy().repeatPenalty(2.0);
    // Once: 4 / 2 = 2 > 1.5 keeps token 0; three times would give 0.5.
    assertThat(new Sampler(penalised).sample(new float[] {4f, 1.5f}, new int[] {0, 0, 0}, 3))
        .isEqualTo(0);
  }

  @Test
  void repeatPenaltyLooksOnlyAtTheLastNValidTokens() {
    float[] logits = {2f, 1.9f, 0f};
    Generation lastOne = Generation.greedy().repeatPenalty(2.0).repeatLastN(1);
    // Window = [2] (history[1]); history[2] is past historyLength and ignored.
    assertThat(new Sampler(lastOne).sample(logits, new int[] {0, 2, 0}, 2)).isEqualTo(0);
    assertThat(new Sampler(lastOne).sample(logits, new int[] {2, 0}, 2)).isEqualTo(1);
    Generation off = Generation.greedy().repeatPenalty(2.0).repeatLastN(0);
    assertThat(new Sampler(off).sample(logits, new int[] {0}, 1)).isEqualTo(0);
  }

  @Test
  void logitsAreNotModified() {
    float[] logits = {2f, 1f, -1f};
    Sampler sampler = new Sampler(Generation.sampled(1.0).repeatPenalty(3.0).seed(1));
    sampler.sample(logits, new int[] {0, 2}, 2);
    assertThat(logits).containsExactly(2f, 1f, -1f);
  }

  @Test
  void topKKeepsTheKBestAndBreaksTiesByLowestId() {
    Generation g = unfiltered(1.0).topK(2);
    assertThat(drawnIds(g, logitsOf(0.1, 0.4, 0.3, 0.2), 2000)).containsExactlyInAnyOrder(1, 2);
    assertThat(drawnIds(g, new float[] {0f, 1f, 1f, 1f}, 2000)).containsExactlyInAnyOrder(1, 2);
    // top-k 1 is argmax even at a high temperature
    assertThat(drawnIds(unfiltered(50.0).topK(1), logitsOf(0.2, 0.5, 0.3), 500))
        .containsExactly(1);
  }

  @Test
  void topPKeepsTheSmallestPrefixReachingP() {
    float[] logits = logitsOf(0.05, 0.5, 0.15, 0.3);
    // sorted: 0.5 (id 1), 0.3 (id 3), 0.15 (id 2), 0.05 (id 0); cumulative 0.5, 0.8, 0.95, 1.0
    assertThat(drawnIds(unfiltered(1.0).topP(0.75), logits, 3000))
        .containsExactlyInAnyOrder(1, 3);
    assertThat(drawnIds(unfiltered(1.0).topP(0.85), logits, 3000))
        .containsExactlyInAnyOrder(1, 3, 2);
    assertThat(drawnIds(unfiltered(1.0).topP(0.4), logits, 500)).containsExactly(1);
    // the same through the sorted top-k path (k = 3 < 4): renormalised over 0.95,
    // cumulative 0.526, 0.842, 1.0
    assertThat(drawnIds(unfiltered(1.0).topK(3).topP(0.8), logits, 3000))
        .containsExactlyInAnyOrder(1, 3);
    assertThat(drawnIds(unfiltered(1.0).topK(3).topP(0.85), logits, 3000))
        .containsExactlyInAnyOrder(1, 3, 2);
  }

  @Test
  void minPDropsTokensBelowAFractionOfTheBest() {
    float[] logits = logitsOf(0.05, 0.5, 0.15, 0.3);
    // threshold 0.2 * 0.5 = 0.1: 0.05 goes
    assertThat(drawnIds(unfiltered(1.0).minP(0.2), logits, 3000))
        .containsExactlyInAnyOrder(1, 3, 2);
    // threshold 0.5 * 0.5 = 0.25: only 0.5 and 0.3 stay
    assertThat(drawnIds(unfiltered(1.0).minP(0.5), logits, 3000)).containsExactlyInAnyOrder(1, 3);
    // min-p is applied before the temperature, so a hot temperature does not revive id 0
    assertThat(drawnIds(unfiltered(10.0).minP(0.2), logits, 3000))
        .containsExactlyInAnyOrder(1, 3, 2);
  }

  @Test
  void theSameSeedGivesTheSameTokens() {
    float[] logits = logitsOf(0.1, 0.2, 0.3, 0.25, 0.15);
    Generation g = Generation.sampled(1.0).topP(1.0).minP(0).seed(99);
    int[] a = draws(new Sampler(g), logits, 500);
    int[] b = draws(new Sampler(g), logits, 500);
    int[] c = draws(new Sampler(g.seed(100)), logits, 500);
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  private static int[] draws(Sampler sampler, float[] logits, int count) {
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = sampler.sample(logits, NO_HISTORY, 0);
    }
    return out;
  }

  @Test
  void temperatureOneFrequenciesMatchTheSoftmax() {
    double[] p = {0.5, 0.3, 0.15, 0.05};
    assertFrequencies(unfiltered(1.0), logitsOf(p), p);
  }

  @Test
  void temperatureSharpensTheDistribution() {
    double[] p = {0.5, 0.3, 0.15, 0.05};
    // softmax(log p / 0.5) = p^2 / sum(p^2)
    double[] squared = Arrays.stream(p).map(x -> x * x).toArray();
    double sum = Arrays.stream(squared).sum();
    double[] expected = Arrays.stream(squared).map(x -> x / sum).toArray();
    assertFrequencies(unfiltered(0.5), logitsOf(p), expected);
  }

  /** 10,000 seeded draws: each frequency within 0.02 of its probability (4 sigma at p = 0.5). */
  private static void assertFrequencies(Generation g, float[] logits, double[] expected) {
    int draws = 10_000;
    int[] counts = new int[logits.length];
    Sampler sampler = new Sampler(g);
    for (int i = 0; i < draws; i++) {
      counts[sampler.sample(logits, NO_HISTORY, 0)]++;
    }
    for (int id = 0; id < logits.length; id++) {
      assertThat((double) counts[id] / draws)
          .as("frequency of id %d", id)
          .isCloseTo(expected[id], org.assertj.core.data.Offset.offset(0.02));
    }
  }

  @Test
  void topKOnALargeVocabularyKeepsExactlyTheKBest() {
    int n = 128_256;
    float[] logits = new float[n];
    Random random = new Random(7);
    for (int i = 0; i < n; i++) {
      logits[i] = (float) random.nextGaussian();
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logits[i]));
    Set<Integer> best = new HashSet<>(Arrays.asList(order).subList(0, 8));
    // A very hot temperature makes the 8 survivors nearly uniform, so all of them show up.
    assertThat(drawnIds(unfiltered(1000.0).topK(8), logits, 2000)).isEqualTo(best);
  }

  @Test
  void topPOnALargeVocabularyWithoutTopKMatchesASortedCut() {
    int n = 50_000;
    float[] logits = new float[n];
    Random random = new Random(11);
    for (int i = 0; i < n; i++) {
      logits[i] = (float) (random.nextGaussian() * 2);
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logits[i]));
    double max = logits[order[0]];
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    double cumulative = 0;
    Set<Integer> expected = new HashSet<>();
    for (Integer id : order) {
      expected.add(id);
      cumulative += Math.exp(logits[id] - max) / sum;
      if (cumulative >= 0.05) {
        break;
      }
    }
    assertThat(expected.size()).isBetween(2, 200);
    Set<Integer> drawn = drawnIds(unfiltered(1000.0).topP(0.05), logits, 20 * expected.size());
    assertThat(expected).containsAll(drawn);
    assertThat(drawn.size()).isGreaterThan(expected.size() / 2);
  }

  @Test
  void topPThenMinPWithoutTopKKeepsTheIntersectionOfBothCuts() {
    int n = 20_000;
    float[] logits = new float[n];
    Random random = new Random(5);
    for (int i = 0; i < n; i++) {
      logits[i] = (float) (random.nextGaussian() * 2.5);
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logits[i]));
    double max = logits[order[0]];
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    for (double[] pm : new double[][] {{0.3, 0.05}, {0.02, 0.05}, {0.9, 0.2}}) {
      double topP = pm[0];
      double minP = pm[1];
      Set<Integer> expected = new HashSet<>();
      double cumulative = 0;
      for (Integer id : order) {
        if (logits[id] >= max + Math.log(minP)) {
          expected.add(id);
        }
        cumulative += Math.exp(logits[id] - max) / sum;
        if (cumulative >= topP) {
          break;
        }
      }
      Set<Integer> drawn =
          drawnIds(unfiltered(1000.0).topP(topP).minP(minP), logits, 40 * expected.size() + 100);
      assertThat(drawn).as("top-p %s min-p %s", topP, minP).isEqualTo(expected);
    }
  }

  @Test
  void badInputIsRefusedClearly() {
    Sampler sampler = new Sampler(Generation.sampled(1.0).seed(1));
    assertThatThrownBy(() -> sampler.sample(new float[0], NO_HISTORY, 0))
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> sampler.sample(new float[] {1f, Float.NaN}, NO_HISTORY, 0))
        .hasMessageContaining("logits[1] is NaN");
    assertThatThrownBy(
            () ->
                sampler.sample(
                    new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, NO_HISTORY, 0))
        .hasMessageContaining("-infinity");
    assertThatThrownBy(() -> sampler.sample(new float[] {1f}, new int[] {0}, 2))
        .hasMessageContaining("historyLength 2");
    Sampler penalised = new Sampler(Generation.greedy().repeatPenalty(1.2));
    assertThatThrownBy(() -> penalised.sample(new float[] {1f, 2f}, new int[] {5}, 1))
        .hasMessageContaining("history[0] = 5");
  }

  @Test
  void packOrdersByLogitThenLowerId() {
    assertThat(Sampler.pack(1f, 3)).isGreaterThan(Sampler.pack(0.5f, 0));
    assertThat(Sampler.pack(-0.5f, 3)).isGreaterThan(Sampler.pack(-1f, 0));
    assertThat(Sampler.pack(2f, 1)).isGreaterThan(Sampler.pack(2f, 2));
    assertThat(Sampler.pack(0f, 1)).isGreaterThan(Sampler.pack(-0f, 2));
    assertThat(Sampler.pack(Float.NEGATIVE_INFINITY, 0))
        .isLessThan(Sampler.pack(-Float.MAX_VALUE, 9));
    assertThat(Sampler.unpackId(Sampler.pack(-3.5f, 128_255))).isEqualTo(128_255);
  }
}
