package dev.pagoda.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Llama 3 regex splits worked out by hand from the regex's alternatives. */
class BpePreTokenizerTest {

  private static final BpePreTokenizer LLAMA3 = BpePreTokenizer.LLAMA3;

  @Test
  void wordsKeepTheirLeadingSpace() {
    assertThat(LLAMA3.split("Hello world")).containsExactly("Hello", " world");
  }

  @Test
  void contractionsSplitOffCaseInsensitively() {
    assertThat(LLAMA3.split("I'm here")).containsExactly("I", "'m", " here");
    assertThat(LLAMA3.split("DON'T it's we'LL")).containsExactly("DON", "'T", " it", "'s", " we", "'LL");
    // not a contraction: the apostrophe is the optional non-letter prefix of the word
    assertThat(LLAMA3.split("'hello")).containsExactly("'hello");
  }

  @Test
  void numbersSplitIntoGroupsOfAtMostThreeDigits() {
    assertThat(LLAMA3.split("1234567")).containsExactly("123", "456", "7");
    assertThat(LLAMA3.split("$100 x2024")).containsExactly("$", "100", " x", "202", "4");
  }

  @Test
  void runsOfSpacesLeaveTheLastSpaceToTheNextWord() {
    assertThat(LLAMA3.split("a  b")).containsExactly("a", " ", " b");
    assertThat(LLAMA3.split("  hi")).containsExactly(" ", " hi");
    assertThat(LLAMA3.split("hi  ")).containsExactly("hi", "  ");
  }

  @Test
  void newlinesGroupTogether() {
    assertThat(LLAMA3.split("hello\n\nworld")).containsExactly("hello", "\n\n", "world");
    assertThat(LLAMA3.split("x\r\n")).containsExactly("x", "\r\n");
    assertThat(LLAMA3.split("...\n")).containsExactly("...\n");
    assertThat(LLAMA3.split("a \n b")).containsExactly("a", " \n", " b");
  }

  @Test
  void unicodeLettersSymbolsAndWhitespace() {
    assertThat(LLAMA3.split("héllo wörld")).containsExactly("héllo", " wörld");
    // emoji are neither letters nor numbers: they join the punctuation alternative
    assertThat(LLAMA3.split("hi 😀😀!")).containsExactly("hi", " 😀😀!");
    // no-break space is whitespace for llama.cpp (Java's plain \s would not say so)
    assertThat(LLAMA3.split("a\u00A0\u00A0b")).containsExactly("a", "\u00A0", "\u00A0b");
    assertThat(LLAMA3.split("日本語です")).containsExactly("日本語です");
  }

  @Test
  void defaultSplitsPunctuationFirst() {
    assertThat(BpePreTokenizer.DEFAULT.split("Hello, world!!")).containsExactly(
        "Hello", ",", " world", "!!");
    assertThat(BpePreTokenizer.DEFAULT.split("12345")).containsExactly("123", "45");
  }

  @Test
  void namesMapLikeLlamaCpp() {
    assertThat(BpePreTokenizer.forName("llama-bpe")).isEqualTo(LLAMA3);
    assertThat(BpePreTokenizer.forName("llama3")).isEqualTo(LLAMA3);
    assertThat(BpePreTokenizer.forName(null)).isEqualTo(BpePreTokenizer.DEFAULT);
    assertThat(BpePreTokenizer.forName("default")).isEqualTo(BpePreTokenizer.DEFAULT);
    assertThatThrownBy(() -> BpePreTokenizer.forName("qwen2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'qwen2'")
        .hasMessageContaining("llama-bpe");
  }
}
