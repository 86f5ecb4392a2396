package dev.pagoda.core.sampling;

import java.util.List;
import java.util.Objects;

/**
 * Watches generated text for stop strings. Feed it decoded pieces in order; each call returns the
 * text that is safe to show now. Text that might still turn into a stop string (a suffix that is
 * a prefix of one) is held back until the next piece decides; a stop string, once complete, ends
 * the stream and neither it nor anything after it is emitted. Not thread-safe.
 */
public final class StopStringMatcher {

  /**
   * What one {@link #accept(String)} call produced.
   *
   * @param text the text to emit now (possibly empty)
   * @param stopped true when a stop string completed: generation should end
   */
  public record Step(String text, boolean stopped) {
    public Step {
      Objects.requireNonNull(text, "text");
    }
  }

  private final List<String> stopStrings;
  private final StringBuilder pending = new StringBuilder();
  private boolean stopped;

  /** A matcher for these stop strings (none empty); with none it passes all text through. */
  public StopStringMatcher(List<String> stopStrings) {
    this.stopStrings = List.copyOf(stopStrings);
    for (int i = 0; i < this.stopStrings.size(); i++) {
      if (this.stopStrings.get(i).isEmpty()) {
        throw new IllegalArgumentException("stop string " + i + " is empty");
      }
    }
  }

  /** Adds one decoded piece and returns what can be emitted now. */
  public Step accept(String piece) {
    Objects.requireNonNull(piece, "piece");
    if (stopped) {
      throw new IllegalStateException("a stop string was already matched; no more text expected");
    }
    if (stopStrings.isEmpty()) {
      return new Step(piece, false);
    }
    pending.append(piece);
    // The pending text never held a whole stop string before, so any match ends in the new piece;
    // the earliest start wins, whichever stop string it is.
    int earliest = -1;
    for (String stop : stopStrings) {
      int at = pending.indexOf(stop);
      if (at >= 0 && (earliest < 0 || at < earliest)) {
        earliest = at;
      }
    }
    if (earliest >= 0) {
      String text = pending.substring(0, earliest);
      pending.setLength(0);
      stopped = true;
      return new Step(text, true);
    }
    int hold = longestSuffixThatStartsAStop();
    String text = pending.substring(0, pending.length() - hold);
    pending.delete(0, pending.length() - hold);
    return new Step(text, false);
  }

  /** At the end of generation without a stop: the held-back text, which is now safe to emit. */
  public String flush() {
    String text = stopped ? "" : pending.toString();
    pending.setLength(0);
    return text;
  }

  /** True once a stop string has been matched. */
  public boolean stopped() {
    return stopped;
  }

  private int longestSuffixThatStartsAStop() {
    int length = pending.length();
    int longest = 0;
    for (String stop : stopStrings) {
      // A whole stop string is not in pending, so only proper prefixes can match a suffix.
      for (int k = Math.min(stop.length() - 1, length); k > longest; k--) {
        if (endsWithPrefix(stop, k)) {
          longest = k;
          break;
        }
      }
    }
    return longest;
  }

  private boolean endsWithPrefix(String stop, int k) {
    int start = pending.length() - k;
    for (int i = 0; i < k; i++) {
      if (pending.charAt(start + i) != stop.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
