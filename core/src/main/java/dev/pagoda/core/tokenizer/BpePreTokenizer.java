package dev.pagoda.core.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regex split that byte-level BPE applies before merging, chosen by {@code
 * tokenizer.ggml.pre}. Each pattern in turn splits every piece from the step before; text between
 * matches is kept as its own piece (llama.cpp's {@code unicode_regex_split}). {@code \s} is
 * Unicode White_Space, {@code \p{L}} and {@code \p{N}} the Unicode letter and number categories,
 * as in llama.cpp's own tables.
 */
public enum BpePreTokenizer {

  /**
   * Llama 3 ({@code llama-bpe}, also named {@code llama3}, {@code llama-v3}, {@code falcon3} in
   * llama.cpp): the tokenizer.json regex {@code
   * (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}
   * with the contractions spelled ASCII-case-insensitively as llama.cpp does. Whole words that are
   * tokens skip merging ({@code ignore_merges}) and BOS is added by default.
   */
  LLAMA3(
      true,
      true,
      "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
          + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
          + "|\\p{N}{1,3}"
          + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
          + "|\\s*[\\r\\n]+"
          + "|\\s+(?!\\S)"
          + "|\\s+"),

  /**
   * llama.cpp's fallback for a missing or {@code default} pre-tokenizer (GPT-2 style plus
   * punctuation and digit splits). Not checked against a reference vocabulary here.
   */
  DEFAULT(
      false,
      false,
      "[\\p{P}\\$\\+<=>\\^~\\|]+",
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)",
      "\\p{N}+",
      "[0-9][0-9][0-9]");

  private final boolean ignoreMerges;
  private final boolean addBosByDefault;
  private final List<Pattern> patterns;

  BpePreTokenizer(boolean ignoreMerges, boolean addBosByDefault, String... regexes) {
    this.ignoreMerges = ignoreMerges;
    this.addBosByDefault = addBosByDefault;
    List<Pattern> compiled = new ArrayList<>();
    for (String regex : regexes) {
      compiled.add(Pattern.compile(unicodeWhitespace(regex)));
    }
    this.patterns = List.copyOf(compiled);
  }

  // Java's \s is ASCII-only; llama.cpp's is Unicode White_Space.
  private static String unicodeWhitespace(String regex) {
    return regex.replace("\\s", "\\p{IsWhite_Space}").replace("\\S", "\\P{IsWhite_Space}");
  }

  /**
   * The pre-tokenizer for a {@code tokenizer.ggml.pre} value; {@code null} or empty means {@code
   * default}, as in llama.cpp.
   *
   * @throws IllegalArgumentException naming any other pre-tokenizer
   */
  public static BpePreTokenizer forName(String name) {
    if (name == null || name.isEmpty() || name.equals("default")) {
      return DEFAULT;
    }
    return switch (name) {
      case "llama-bpe", "llama3", "llama-v3", "falcon3" -> LLAMA3;
      default ->
          throw new IllegalArgumentException(
              "unsupported BPE pre-tokenizer tokenizer.ggml.pre = '"
                  + name
                  + "': supported are 'llama-bpe' (also 'llama3', 'llama-v3', 'falcon3') and"
                  + " 'default'");
    };
  }

  /** Whether a word that is itself a token is emitted without merging (llama.cpp ignore_merges). */
  public boolean ignoreMerges() {
    return ignoreMerges;
  }

  /** llama.cpp's add_bos default for this pre-tokenizer when the file does not say. */
  public boolean addBosByDefault() {
    return addBosByDefault;
  }

  /** Splits text into the words that are merged independently. */
  public List<String> split(String text) {
    List<String> pieces = List.of(text);
    for (Pattern pattern : patterns) {
      List<String> next = new ArrayList<>();
      for (String piece : pieces) {
        Matcher matcher = pattern.matcher(piece);
        int last = 0;
        while (matcher.find()) {
          if (matcher.start() > last) {
            next.add(piece.substring(last, matcher.start()));
          }
          if (matcher.end() > matcher.start()) {
            next.add(piece.substring(matcher.start(), matcher.end()));
          }
          last = matcher.end();
        }
        if (last < piece.length()) {
          next.add(piece.substring(last));
        }
      }
      pieces = next;
    }
    return pieces;
  }
}
