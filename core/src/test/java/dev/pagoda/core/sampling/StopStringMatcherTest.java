package dev.pagoda.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringMatcherTest {

  private static String emitted(StopStringMatcher matcher, String... pieces) {
    StringBuilder out = new StringBuilder();
    for (String piece : pieces) {
      StopStringMatcher.Step step = matcher.accept(piece);
      out.append(step.text());
      if (step.stopped()) {
        return out.toString();
      }
    }
    return out.append(matcher.flush()).toString();
  }

  @Test
  void withoutStopStringsEverythingPassesAtOnce() {
    StopStringMatcher matcher = new StopStringMatcher(List.of());
    assertThat(matcher.accept("abc")).isEqualTo(new StopStringMatcher.Step("abc", false));
    assertThat(matcher.flush()).isEmpty();
  }

  @Test
  void stopInsideOnePieceEmitsOnlyTheTextBefore() {
    StopStringMatcher matcher = new StopStringMatcher(List.of("STOP"));
    StopStringMatcher.Step step = matcher.accept("Hello STOP world");
    assertThat(step).isEqualTo(new StopStringMatcher.Step("Hello ", true));
    assertThat(matcher.stopped()).isTrue();
    assertThat(matcher.flush()).isEmpty();
  }

  @Test
  void stopSplitAcrossPiecesIsHeldBackThenSwallowed() {
    StopStringMatcher matcher = new StopStringMatcher(List.of("STOP"));
    assertThat(matcher.accept("Hel")).isEqualTo(new StopStringMatcher.Step("Hel", false));
    assertThat(matcher.accept("lo S")).isEqualTo(new StopStringMatcher.Step("lo ", false));
    assertThat(matcher.accept("TO")).isEqualTo(new StopStringMatcher.Step("", false));
    assertThat(matcher.accept("P more")).isEqualTo(new StopStringMatcher.Step("", true));
  }

  @Test
  void heldBackTextIsReleasedWhenItStopsMatching() {
    StopStringMatcher matcher = new StopStringMatcher(List.of("abc"));
    assertThat(matcher.accept("xab")).isEqualTo(new StopStringMatcher.Step("x", false));
    assertThat(matcher.accept("d")).isEqualTo(new StopStringMatcher.Step("abd", false));
    assertThat(matcher.accept("ab")).isEqualTo(new StopStringMatcher.Step("", false));
    assertThat(matcher.flush()).isEqualTo("ab");
  }

  @Test
  void overlappingPrefixesOfTwoStopStrings() {
    // "abc" could still become "abcd"; then "e" completes "bce", which starts later.
    StopStringMatcher matcher = new StopStringMatcher(List.of("abcd", "bce"));
    assertThat(matcher.accept("abc")).isEqualTo(new StopStringMatcher.Step("", false));
    assertThat(matcher.accept("e")).isEqualTo(new StopStringMatcher.Step("a", true));
  }

  @Test
  void theEarliestMatchWinsWhicheverStopStringItIs() {
    assertThat(emitted(new StopStringMatcher(List.of("world", "lo w")), "hello world"))
        .isEqualTo("hel");
    assertThat(emitted(new StopStringMatcher(List.of("lo w", "world")), "hel", "lo", " world"))
        .isEqualTo("hel");
  }

  @Test
  void selfOverlappingStopString() {
    assertThat(emitted(new StopStringMatcher(List.of("aab")), "a", "a", "a", "b", "c"))
        .isEqualTo("a");
    assertThat(emitted(new StopStringMatcher(List.of("aab")), "aaa", "c")).isEqualTo("aaac");
  }

  @Test
  void chatTurnMarkerAcrossPieces() {
    StopStringMatcher matcher = new StopStringMatcher(List.of("\n\n", "User:"));
    assertThat(emitted(matcher, "Sure.", "\n", "Us", "er", ": hi")).isEqualTo("Sure.\n");
    StopStringMatcher other = new StopStringMatcher(List.of("\n\n", "User:"));
    assertThat(emitted(other, "Sure.", "\n", "Use", "d it")).isEqualTo("Sure.\nUsed it");
  }

  @Test
  void acceptAfterStopIsRefused() {
    StopStringMatcher matcher = new StopStringMatcher(List.of("x"));
    matcher.accept("x");
    assertThatThrownBy(() -> matcher.accept("y")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void emptyStopStringIsRefused() {
    assertThatThrownBy(() -> new StopStringMatcher(List.of("a", "")))
        .hasMessageContaining("stop string 1 is empty");
  }
}
