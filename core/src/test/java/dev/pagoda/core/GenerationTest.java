package dev.pagoda.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GenerationTest {

  @Test
  void greedyHasLlamaCppDefaultsAndTemperatureZero() {
    Generation g = Generation.greedy();
    assertThat(g.isGreedy()).isTrue();
    assertThat(g.temperature()).isZero();
    assertThat(g.maxTokens()).isEqualTo(256);
    assertThat(g.topK()).isEqualTo(40);
    assertThat(g.topP()).isEqualTo(0.95);
    assertThat(g.minP()).isEqualTo(0.05);
    assertThat(g.repeatPenalty()).isEqualTo(1.0);
    assertThat(g.repeatLastN()).isEqualTo(64);
    assertThat(g.seed()).isEmpty();
    assertThat(g.stopStrings()).isEmpty();
    assertThat(g.ignoreEos()).isFalse();
  }

  @Test
  void sampledDefaultsToTemperatureZeroPointEight() {
    assertThat(Generation.sampled().temperature()).isEqualTo(0.8);
    assertThat(Generation.sampled().isGreedy()).isFalse();
    assertThat(Generation.sampled(1.5).temperature()).isEqualTo(1.5);
  }

  @Test
  void fluentMethodsReturnNewInstancesAndKeepTheRest() {
    Generation base = Generation.sampled(0.7);
    Generation g =
        base.maxTokens(10)
            .topK(5)
            .topP(0.5)
            .minP(0.1)
            .repeatPenalty(1.1)
            .repeatLastN(32)
            .seed(42)
            .stop("END", "\n\n")
            .ignoreEos(true);
    assertThat(base.maxTokens()).isEqualTo(256);
    assertThat(base.seed()).isEmpty();
    assertThat(g.temperature()).isEqualTo(0.7);
    assertThat(g.maxTokens()).isEqualTo(10);
    assertThat(g.topK()).isEqualTo(5);
    assertThat(g.topP()).isEqualTo(0.5);
    assertThat(g.minP()).isEqualTo(0.1);
    assertThat(g.repeatPenalty()).isEqualTo(1.1);
    assertThat(g.repeatLastN()).isEqualTo(32);
    assertThat(g.seed()).hasValue(42);
    assertThat(g.stopStrings()).containsExactly("END", "\n\n");
    assertThat(g.ignoreEos()).isTrue();
    assertThat(g.stop().stopStrings()).isEmpty();
  }

  @Test
  void stopStringsAreCopied() {
    String[] stops = {"a", "b"};
    Generation g = Generation.greedy().stop(stops);
    stops[0] = "changed";
    assertThat(g.stopStrings()).containsExactly("a", "b");
    assertThatThrownBy(() -> g.stopStrings().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void badArgumentsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> Generation.sampled(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature")
        .hasMessageContaining("greedy()");
    assertThatThrownBy(() -> Generation.sampled(Double.NaN)).hasMessageContaining("temperature");
    assertThatThrownBy(() -> Generation.sampled(Double.POSITIVE_INFINITY))
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> Generation.greedy().maxTokens(0)).hasMessageContaining("maxTokens");
    assertThatThrownBy(() -> Generation.greedy().topK(-1)).hasMessageContaining("topK");
    assertThatThrownBy(() -> Generation.greedy().topP(0)).hasMessageContaining("topP");
    assertThatThrownBy(() -> Generation.greedy().topP(1.01)).hasMessageContaining("topP");
    assertThatThrownBy(() -> Generation.greedy().minP(1)).hasMessageContaining("minP");
    assertThatThrownBy(() -> Generation.greedy().minP(-0.1)).hasMessageContaining("minP");
    assertThatThrownBy(() -> Generation.greedy().repeatPenalty(0))
        .hasMessageContaining("repeatPenalty");
    assertThatThrownBy(() -> Generation.greedy().repeatLastN(-1))
        .hasMessageContaining("repeatLastN");
    assertThatThrownBy(() -> Generation.greedy().stop("ok", ""))
        .hasMessageContaining("stop string 1 is empty");
    assertThatThrownBy(() -> Generation.greedy().stop("ok", null))
        .hasMessageContaining("stop string 1 is null");
  }
}
