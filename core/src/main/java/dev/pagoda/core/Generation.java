package dev.pagoda.core;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Immutable options for one text generation: how many tokens, how the next token is chosen, and
 * when to stop. Start from {@link #greedy()} or {@link #sampled(double)} and refine with the
 * fluent methods; each returns a new instance.
 *
 * <p>Defaults follow llama.cpp's {@code common_params_sampling}: top-k 40, top-p 0.95, min-p 0.05,
 * repeat penalty 1.0 (off) over the last 64 tokens, temperature 0.8 ({@link #sampled()}), at most
 * 256 new tokens, a random seed. A greedy generation ignores top-k, top-p, min-p and the seed
 * (the repeat penalty still applies, as in llama.cpp). The filters are turned off with top-k 0,
 * top-p 1.0 and min-p 0.0.
 */
public final class Generation {

  /** llama.cpp's default temperature ({@code common_params_sampling.temp}). */
  public static final double DEFAULT_TEMPERATURE = 0.8;
  /** Default cap on generated tokens. */
  public static final int DEFAULT_MAX_TOKENS = 256;
  /** llama.cpp's default top-k. */
  public static final int DEFAULT_TOP_K = 40;
  /** llama.cpp's default top-p. */
  public static final double DEFAULT_TOP_P = 0.95;
  /** llama.cpp's default min-p. */
  public static final double DEFAULT_MIN_P = 0.05;
  /** llama.cpp's default repeat penalty (1.0 = off). */
  public static final double DEFAULT_REPEAT_PENALTY = 1.0;
  /** llama.cpp's default penalty window. */
  public static final int DEFAULT_REPEAT_LAST_N = 64;

  private final double temperature;
  private final int maxTokens;
  private final int topK;
  private final double topP;
  private final double minP;
  private final double repeatPenalty;
  private final int repeatLastN;
  private final OptionalLong seed;
  private final List<String> stopStrings;
  private final boolean ignoreEos;

  private Generation(
      double temperature,
      int maxTokens,
      int topK,
      double topP,
      double minP,
      double repeatPenalty,
      int repeatLastN,
      OptionalLong seed,
      List<String> stopStrings,
      boolean ignoreEos) {
    this.temperature = temperature;
    this.maxTokens = maxTokens;
    this.topK = topK;
    this.topP = topP;
    this.minP = minP;
    this.repeatPenalty = repeatPenalty;
    this.repeatLastN = repeatLastN;
    this.seed = seed;
    this.stopStrings = stopStrings;
    this.ignoreEos = ignoreEos;
  }

  /** Always the most likely token (argmax; the lowest id wins a tie). */
  public static Generation greedy() {
    return new Generation(
        0.0,
        DEFAULT_MAX_TOKENS,
        DEFAULT_TOP_K,
        DEFAULT_TOP_P,
        DEFAULT_MIN_P,
        DEFAULT_REPEAT_PENALTY,
        DEFAULT_REPEAT_LAST_N,
        OptionalLong.empty(),
        List.of(),
        false);
  }

  /** Sampling at llama.cpp's default temperature 0.8. */
  public static Generation sampled() {
    return sampled(DEFAULT_TEMPERATURE);
  }

  /**
   * Sampling from the softmax of the filtered logits divided by {@code temperature}.
   *
   * @param temperature finite and greater than 0 (use {@link #greedy()} for temperature 0)
   */
  public static Generation sampled(double temperature) {
    if (!(temperature > 0.0) || !Double.isFinite(temperature)) {
      throw new IllegalArgumentException(
          "temperature must be finite and > 0, got "
              + temperature
              + " (use Generation.greedy() for argmax decoding)");
    }
    return new Generation(
        temperature,
        DEFAULT_MAX_TOKENS,
        DEFAULT_TOP_K,
        DEFAULT_TOP_P,
        DEFAULT_MIN_P,
        DEFAULT_REPEAT_PENALTY,
        DEFAULT_REPEAT_LAST_N,
        OptionalLong.empty(),
        List.of(),
        false);
  }

  /** At most this many new tokens (at least 1). */
  public Generation maxTokens(int maxTokens) {
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
    }
    return new Generation(
        temperature, maxTokens, topK, topP, minP, repeatPenalty, repeatLastN, seed, stopStrings,
        ignoreEos);
  }

  /** Keep only the k most likely tokens; 0 turns the filter off. */
  public Generation topK(int topK) {
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
    }
    return new Generation(
        temperature, maxTokens, topK, topP, minP, repeatPenalty, repeatLastN, seed, stopStrings,
        ignoreEos);
  }

  /** Keep the smallest set of most likely tokens whose probability reaches p; 1.0 = off. */
  public Generation topP(double topP) {
    if (!(topP > 0.0 && topP <= 1.0)) {
      throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
    }
    return new Generation(
        temperature, maxTokens, topK, topP, minP, repeatPenalty, repeatLastN, seed, stopStrings,
        ignoreEos);
  }

  /** Drop tokens whose probability is below p times the top probability; 0.0 = off. */
  public Generation minP(double minP) {
    if (!(minP >= 0.0 && minP < 1.0)) {
      throw new IllegalArgumentException("minP must be in [0, 1) (0 = off), got " + minP);
    }
    return new Generation(
        temperature, maxTokens, topK, topP, minP, repeatPenalty, repeatLastN, seed, stopStrings,
        ignoreEos);
  }

  /**
   * Penalise tokens seen in the last {@link #repeatLastN()} tokens: positive logits are divided by
   * the penalty, negative ones multiplied (llama.cpp semantics); 1.0 = off.
   */
  public Generation repeatPenalty(double repeatPenalty) {
    if (!(repeatPenalty > 0.0) || !Double.isFinite(repeatPenalty)) {
      throw new IllegalArgumentException(
          "repeatPenalty must be finite and > 0 (1.0 = off), got " + repeatPenalty);
    }
    return new Generation(
        temperature, maxTokens, topK, topP, minP, repeatPenalty, repeatLastN, seed, stopStrings,
        ignoreEos);
  }

  /** How many of the most recent tokens the repeat penalty looks at; 0 = off. */
  public Generation repeatLastN(int repeatLastN) {
    if (repeatLastN < 0) {
      throw new IllegalArgumentException("repeatLastN must be >= 0 (0 = off), got " + repeatLastN);
    }
    return new Generation(
        temperature, maxTokens, topK, topP, minP, repeatPenalty, repeatLastN, seed, stopStrings,
        ignoreEos);
  }

  /** Seed for the sampler's random generator: the same seed gives the same tokens. */
  public Generation seed(long seed) {
    return new Generation(
        temperature, maxTokens, topK, topP, minP, repeatPenalty, repeatLastN,
        OptionalLong.of(seed), stopStrings, ignoreEos);
  }

  /**
   * Stop as soon as the generated text contains one of these strings; the stop string itself is
   * not emitted. Replaces any earlier stop strings; no arguments clears them.
   */
  public Generation stop(String... stopStrings) {
    Objects.requireNonNull(stopStrings, "stopStrings");
    for (int i = 0; i < stopStrings.length; i++) {
      if (stopStrings[i] == null || stopStrings[i].isEmpty()) {
        throw new IllegalArgumentException(
            "stop string " + i + " is " + (stopStrings[i] == null ? "null" : "empty"));
      }
    }
    return new Generation(
        temperature, maxTokens, topK, topP, minP, repeatPenalty, repeatLastN, seed,
        List.copyOf(Arrays.asList(stopStrings)), ignoreEos);
  }

  /** When true, end-of-generation tokens do not end the generation (only maxTokens and stops do). */
  public Generation ignoreEos(boolean ignoreEos) {
    return new Generation(
        temperature, maxTokens, topK, topP, minP, repeatPenalty, repeatLastN, seed, stopStrings,
        ignoreEos);
  }

  /** True for argmax decoding (temperature 0). */
  public boolean isGreedy() {
    return temperature == 0.0;
  }

  /** 0 for greedy, otherwise the sampling temperature. */
  public double temperature() {
    return temperature;
  }

  public int maxTokens() {
    return maxTokens;
  }

  public int topK() {
    return topK;
  }

  public double topP() {
    return topP;
  }

  public double minP() {
    return minP;
  }

  public double repeatPenalty() {
    return repeatPenalty;
  }

  public int repeatLastN() {
    return repeatLastN;
  }

  /** The seed, or empty for a fresh random seed per sampler. */
  public OptionalLong seed() {
    return seed;
  }

  /** The stop strings, immutable, possibly empty. */
  public List<String> stopStrings() {
    return stopStrings;
  }

  public boolean ignoreEos() {
    return ignoreEos;
  }

  @Override
  public String toString() {
    return "Generation["
        + (isGreedy() ? "greedy" : "temperature=" + temperature)
        + ", maxTokens=" + maxTokens
        + ", topK=" + topK
        + ", topP=" + topP
        + ", minP=" + minP
        + ", repeatPenalty=" + repeatPenalty
        + ", repeatLastN=" + repeatLastN
        + ", seed=" + (seed.isPresent() ? Long.toString(seed.getAsLong()) : "random")
        + ", stop=" + stopStrings
        + ", ignoreEos=" + ignoreEos
        + "]";
  }
}
