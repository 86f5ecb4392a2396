package dev.pagoda.core.sampling;

import dev.pagoda.core.Generation;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Chooses the next token from a logits vector, following llama.cpp's common sampler chain:
 * repetition penalty, top-k, top-p, min-p, temperature, then a draw from the softmax. A greedy
 * {@link Generation} applies the penalty and then takes the argmax (the lowest id wins a tie).
 *
 * <p>One sampler per generation: it owns a random generator and scratch buffers, and is <b>not
 * thread-safe</b>. The buffers are sized to the vocabulary on the first call and reused, so a
 * steady-state call allocates nothing. Top-k uses a bounded heap (O(n log k)); top-p without top-k
 * pops candidates from a heap only until the probability mass is reached, never sorting the whole
 * vocabulary.
 *
 * <p>Filtering is done on the penalised logits before the temperature, as in llama.cpp, so top-p
 * and min-p see the temperature-1 distribution.
 */
public final class Sampler {

  private final Generation generation;
  private final SplittableRandom random;

  // Scratch buffers, sized to the vocabulary on first use and reused across calls.
  private float[] work = new float[0]; // penalised logits
  private int[] candidates = new int[0]; // token ids still in play, in the current order
  private long[] heap = new long[0]; // packed (logit, id) keys, see pack()
  private int[] seenStamp = new int[0]; // penalty dedupe: seenStamp[id] == stamp means seen
  private int stamp;
  private int[] window = new int[0]; // the repeat window's distinct ids

  /** A sampler for {@code generation}, seeded from it or, when it has no seed, randomly. */
  public Sampler(Generation generation) {
    this.generation = Objects.requireNonNull(generation, "generation");
    this.random =
        generation.seed().isPresent()
            ? new SplittableRandom(generation.seed().getAsLong())
            : new SplittableRandom();
  }

  /** The options this sampler applies. */
  public Generation generation() {
    return generation;
  }

  /**
   * Picks the next token id.
   *
   * @param logits one logit per vocabulary entry; not modified
   * @param history the tokens so far (prompt and generated); only the first {@code historyLength}
   *     are read, the last {@link Generation#repeatLastN()} of them for the repeat penalty
   * @param historyLength how many entries of {@code history} are valid
   * @return a token id in {@code [0, logits.length)}
   * @throws IllegalArgumentException for an empty logits vector, a NaN logit, no finite logit, a
   *     bad history length or a history id outside the vocabulary
   */
  public int sample(float[] logits, int[] history, int historyLength) {
    Objects.requireNonNull(logits, "logits");
    Objects.requireNonNull(history, "history");
    int n = logits.length;
    if (n == 0) {
      throw new IllegalArgumentException("logits is empty");
    }
    if (historyLength < 0 || historyLength > history.length) {
      throw new IllegalArgumentException(
          "historyLength " + historyLength + " outside [0, " + history.length + "]");
    }
    ensureCapacity(n);
    copyChecked(logits, n);
    applyRepeatPenalty(n, history, historyLength);

    if (generation.isGreedy()) {
      return argmax(n);
    }

    int count = n;
    boolean sorted = false;
    int k = generation.topK();
    if (k > 0 && k < n) {
      count = topK(n, k);
      sorted = true;
    } else {
      for (int i = 0; i < n; i++) {
        candidates[i] = i;
      }
    }
    return filterAndDraw(count, sorted, sorted ? work[candidates[0]] : maxOf(count));
  }

  // top-p, min-p and the draw over candidates[0..count) (best first when sorted), max their best logit
  private int filterAndDraw(int count, boolean sorted, float max) {
    if (generation.topP() < 1.0) {
      count = topP(count, sorted, max);
      sorted = true;
    }
    if (generation.minP() > 0.0) {
      count = minP(count, max);
    }
    return draw(count, max);
  }

  /**
   * How many of the best penalized logits {@link #sampleCandidates} needs to pick exactly as {@link
   * #sample} would from the whole vector: 1 for greedy, top-k when 0 &lt; top-k &lt; the vocabulary (every
   * later filter and the draw only see those k, best first); 0 when the pick needs every logit (top-k
   * off or not below the vocabulary).
   */
  public int candidatesNeeded(int vocabulary) {
    if (generation.isGreedy()) {
      return 1;
    }
    int k = generation.topK();
    return k > 0 && k < vocabulary ? k : 0;
  }

  /**
   * The distinct ids of the repeat window (the last {@link Generation#repeatLastN()} of history) into
   * {@code out}, whose logits {@link #sample} would penalize; returns how many (0 when the penalty is
   * off). {@code out} must hold min(repeatLastN, historyLength) ids.
   *
   * @throws IllegalArgumentException for a bad history length or a history id outside the vocabulary
   */
  public int penalizedIds(int vocabulary, int[] history, int historyLength, int[] out) {
    checkHistory(history, historyLength);
    return distinctWindow(vocabulary, history, historyLength, out);
  }

  /**
   * The pick {@link #sample} makes, from the best {@code count} ≥ {@link #candidatesNeeded} logits
   * after the repeat penalty (the ids of {@link #penalizedIds}), best first with the lower id first on
   * a tie, as a device computes them: the same filters over the same candidates in the same order,
   * and the same draw from this sampler's generator.
   *
   * @throws IllegalArgumentException when fewer candidates than needed are given, a candidate id is
   *     outside the vocabulary, or the best logit is −infinity
   */
  public int sampleCandidates(int vocabulary, float[] logits, int[] ids, int count) {
    int k = candidatesNeeded(vocabulary);
    if (k == 0 || count < k) {
      throw new IllegalArgumentException(count + " candidates given; this generation needs "
          + (k == 0 ? "the whole logits vector" : k));
    }
    if (logits[0] == Float.NEGATIVE_INFINITY) {
      throw new IllegalArgumentException("every logit is -infinity: nothing can be sampled");
    }
    for (int i = 0; i < k; i++) {
      if (ids[i] < 0 || ids[i] >= vocabulary) {
        throw new IllegalArgumentException(
            "candidate id " + ids[i] + " is outside the vocabulary [0, " + vocabulary + ")");
      }
    }
    if (generation.isGreedy()) {
      return ids[0];
    }
    ensureCapacity(vocabulary);
    for (int i = 0; i < k; i++) {
      work[ids[i]] = logits[i];
      candidates[i] = ids[i];
    }
    return filterAndDraw(k, true, logits[0]);
  }

  private void checkHistory(int[] history, int historyLength) {
    Objects.requireNonNull(history, "history");
    if (historyLength < 0 || historyLength > history.length) {
      throw new IllegalArgumentException(
          "historyLength " + historyLength + " outside [0, " + history.length + "]");
    }
  }

  private void ensureCapacity(int n) {
    if (work.length != n) {
      work = new float[n];
      candidates = new int[n];
      heap = new long[n];
      seenStamp = new int[0];
    }
  }

  private void copyChecked(float[] logits, int n) {
    boolean anyFinite = false;
    for (int i = 0; i < n; i++) {
      float l = logits[i];
      if (Float.isNaN(l)) {
        throw new IllegalArgumentException("logits[" + i + "] is NaN");
      }
      anyFinite |= l != Float.NEGATIVE_INFINITY;
      work[i] = l;
    }
    if (!anyFinite) {
      throw new IllegalArgumentException("every logit is -infinity: nothing can be sampled");
    }
  }

  // llama.cpp penalises each distinct token of the window once, whatever its count.
  private void applyRepeatPenalty(int n, int[] history, int historyLength) {
    float penalty = (float) generation.repeatPenalty();
    int lastN = Math.min(generation.repeatLastN(), historyLength);
    if (window.length < lastN) {
      window = new int[lastN];
    }
    int count = distinctWindow(n, history, historyLength, window);
    for (int i = 0; i < count; i++) {
      int id = window[i];
      float l = work[id];
      work[id] = l <= 0 ? l * penalty : l / penalty;
    }
  }

  // the window's distinct ids in order of first appearance; none when the penalty is off
  private int distinctWindow(int n, int[] history, int historyLength, int[] out) {
    float penalty = (float) generation.repeatPenalty();
    int lastN = Math.min(generation.repeatLastN(), historyLength);
    if (penalty == 1.0f || lastN == 0) {
      return 0;
    }
    if (seenStamp.length != n) {
      seenStamp = new int[n];
      stamp = 0;
    }
    if (++stamp == 0) { // wrapped: clear so old stamps cannot match
      Arrays.fill(seenStamp, 0);
      stamp = 1;
    }
    int count = 0;
    for (int i = historyLength - lastN; i < historyLength; i++) {
      int id = history[i];
      if (id < 0 || id >= n) {
        throw new IllegalArgumentException(
            "history[" + i + "] = " + id + " is outside the vocabulary [0, " + n + ")");
      }
      if (seenStamp[id] == stamp) {
        continue;
      }
      seenStamp[id] = stamp;
      out[count++] = id;
    }
    return count;
  }

  /** The penalty factor the device applies to {@link #penalizedIds}' logits, as {@link #sample} does. */
  public float repeatPenalty() {
    return (float) generation.repeatPenalty();
  }

  private int argmax(int n) {
    int best = 0;
    float bestLogit = work[0];
    for (int i = 1; i < n; i++) {
      if (work[i] > bestLogit) {
        bestLogit = work[i];
        best = i;
      }
    }
    return best;
  }

  private float maxOf(int count) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < count; i++) {
      max = Math.max(max, work[candidates[i]]);
    }
    return max;
  }

  /** Keeps the k best tokens in candidates[0..k), best first; returns k. */
  private int topK(int n, int k) {
    // Min-heap of the best k seen so far: the root is the weakest survivor.
    for (int i = 0; i < k; i++) {
      heap[i] = pack(work[i], i);
    }
    for (int i = k / 2 - 1; i >= 0; i--) {
      siftDownMin(i, k);
    }
    for (int i = k; i < n; i++) {
      long key = pack(work[i], i);
      if (key > heap[0]) {
        heap[0] = key;
        siftDownMin(0, k);
      }
    }
    // Pop weakest first into the back of candidates: the result is best first.
    for (int size = k; size > 0; size--) {
      candidates[size - 1] = unpackId(heap[0]);
      heap[0] = heap[size - 1];
      siftDownMin(0, size - 1);
    }
    return k;
  }

  /**
   * Keeps the smallest best-first prefix whose probability (softmax over the current candidates)
   * reaches top-p; at least one token. Returns the new count; candidates end up best first.
   */
  private int topP(int count, boolean sorted, float max) {
    double p = generation.topP();
    double sum = 0.0;
    for (int i = 0; i < count; i++) {
      sum += Math.exp(work[candidates[i]] - max);
    }
    double target = p * sum;
    double cumulative = 0.0;
    if (sorted) {
      for (int i = 0; i < count; i++) {
        cumulative += Math.exp(work[candidates[i]] - max);
        if (cumulative >= target) {
          return i + 1;
        }
      }
      return count;
    }
    // Unsorted. min-p would later drop everything below its threshold, and both filters keep a
    // best-first prefix, so dropping those tokens now (after the full-set sum above) gives the
    // same result while the heap below only sees the few plausible tokens.
    if (generation.minP() > 0.0) {
      count = minP(count, max);
    }
    // A max-heap popped only as far as the cut: no full sort of the vocabulary.
    for (int i = 0; i < count; i++) {
      heap[i] = pack(work[candidates[i]], candidates[i]);
    }
    for (int i = count / 2 - 1; i >= 0; i--) {
      siftDownMax(i, count);
    }
    int size = count;
    int kept = 0;
    while (size > 0) {
      int id = unpackId(heap[0]);
      heap[0] = heap[size - 1];
      size--;
      siftDownMax(0, size);
      candidates[kept++] = id;
      cumulative += Math.exp(work[id] - max);
      if (cumulative >= target) {
        break;
      }
    }
    return kept;
  }

  /** Drops candidates whose probability is below min-p times the best one; keeps the order. */
  private int minP(int count, float max) {
    double threshold = max + Math.log(generation.minP());
    int kept = 0;
    for (int i = 0; i < count; i++) {
      int id = candidates[i];
      if (work[id] >= threshold) {
        candidates[kept++] = id;
      }
    }
    return kept; // at least the maximum survives: log(minP) < 0
  }

  private int draw(int count, float max) {
    double invTemperature = 1.0 / generation.temperature();
    double sum = 0.0;
    for (int i = 0; i < count; i++) {
      sum += Math.exp((work[candidates[i]] - max) * invTemperature);
    }
    double u = random.nextDouble() * sum;
    double cumulative = 0.0;
    for (int i = 0; i < count; i++) {
      cumulative += Math.exp((work[candidates[i]] - max) * invTemperature);
      if (u < cumulative) {
        return candidates[i];
      }
    }
    // Rounding left u at or past the last cumulative value: the last candidate with mass.
    for (int i = count - 1; i > 0; i--) {
      if (work[candidates[i]] != Float.NEGATIVE_INFINITY) {
        return candidates[i];
      }
    }
    return candidates[0];
  }

  /**
   * Orders (logit, id) as one long: a larger logit is a larger key, and on equal logits the lower
   * id is the larger key, so "best" is always "largest" and ties break like llama.cpp's argmax.
   */
  static long pack(float logit, int id) {
    int bits = Float.floatToRawIntBits(logit + 0.0f); // + 0.0f turns -0.0 into 0.0
    int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
    return ((long) sortable << 32) | (Integer.MAX_VALUE - id);
  }

  static int unpackId(long key) {
    return Integer.MAX_VALUE - (int) (key & 0xffffffffL);
  }

  private void siftDownMin(int i, int size) {
    long key = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= key) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = key;
  }

  private void siftDownMax(int i, int size) {
    long key = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1] > heap[child]) {
        child++;
      }
      if (heap[child] <= key) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = key;
  }
}
