package dev.pagoda.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byte-level BPE on a hand-built vocabulary and merge list: every expected id sequence below is
 * derived by hand from the merge ranks. (No real Llama 3 vocabulary is available to compare with.)
 */
class BpeTokenizerTest {

  private static final List<String> TOKENS =
      List.of(
          "h", "e", "l", "o", "Ġ", "w", "r", "d", // 0..7 single symbols
          "ll", "he", "llo", "hello", "Ġw", "or", "Ġwor", "ld", // 8..15 merge results
          "Ġhello", "Ã©", "Ċ", "lo", "?", // 16..20
          "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|eom_id|>"); // 21..24

  private static final String[] MERGES = {
    "l l", "h e", "ll o", "he llo", "Ġ w", "o r", "Ġw or", "l d", "Ã ©", "l o"
  };

  private static int id(String text) {
    return TOKENS.indexOf(text);
  }

  private static BpeTokenizer tokenizer(BpePreTokenizer pre) {
    int[] types = new int[TOKENS.size()];
    Arrays.fill(types, TokenType.NORMAL.code());
    for (int i = 21; i < TOKENS.size(); i++) {
      types[i] = TokenType.CONTROL.code();
    }
    SpecialTokens special =
        new SpecialTokens(21, 22, SpecialTokens.NONE, SpecialTokens.NONE, SpecialTokens.NONE,
            pre.addBosByDefault(), false);
    return new BpeTokenizer(
        new Vocabulary(TOKENS.toArray(String[]::new), null, types, special), MERGES, pre);
  }

  private static final BpeTokenizer LLAMA3 = tokenizer(BpePreTokenizer.LLAMA3);

  @Test
  void mergesLowestRankFirst() {
    // " world": Ġw (4), or (5), Ġwor (6), ld (7); there is no "Ġwor ld" merge.
    assertThat(LLAMA3.encode(" world", false, false)).containsExactly(id("Ġwor"), id("ld"));
    // "llo": "l l" (rank 0) beats "l o" (rank 9), then "ll o" (2).
    assertThat(LLAMA3.encode("llo", false, false)).containsExactly(id("llo"));
  }

  @Test
  void equalRanksMergeLeftmostFirst() {
    assertThat(LLAMA3.encode("lll", false, false)).containsExactly(id("ll"), id("l"));
    assertThat(LLAMA3.encode("hellohello", false, false))
        .containsExactly(id("hello"), id("hello"));
  }

  @Test
  void llama3TakesWholeWordTokensWithoutMerging() {
    // "Ġhello" is a token but no merge builds it: only ignore_merges finds it.
    assertThat(LLAMA3.encode(" hello", false, false)).containsExactly(id("Ġhello"));
    assertThat(tokenizer(BpePreTokenizer.DEFAULT).encode(" hello", false, false))
        .containsExactly(id("Ġ"), id("hello"));
  }

  @Test
  void bytesAreWrittenInTheByteLevelAlphabet() {
    // é = C3 A9 -> "Ã©"; \n -> "Ċ"
    assertThat(LLAMA3.encode("é\n", false, false)).containsExactly(id("Ã©"), id("Ċ"));
    assertThat(LLAMA3.decode(new int[] {id("Ã©"), id("Ċ")})).isEqualTo("é\n");
    assertThat(LLAMA3.pieceBytes(id("Ã©"))).isEqualTo("é".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void specialTokensAndBos() {
    assertThat(LLAMA3.encode("hello", true, false)).containsExactly(21, id("hello"));
    assertThat(LLAMA3.encode("<|eot_id|>hello<|end_of_text|>", false, true))
        .containsExactly(23, id("hello"), 22);
    assertThat(LLAMA3.encode("<|eot_id|>", false, false)).doesNotContain(23);
    assertThat(LLAMA3.decode(new int[] {21, id("hello"), 23})).isEqualTo(
        "<|begin_of_text|>hello<|eot_id|>");
  }

  @Test
  void endOfGenerationIncludesLlama3TurnMarkersByText() {
    assertThat(LLAMA3.isEndOfGeneration(22)).isTrue(); // eos
    assertThat(LLAMA3.isEndOfGeneration(23)).isTrue(); // <|eot_id|>
    assertThat(LLAMA3.isEndOfGeneration(24)).isTrue(); // <|eom_id|>
    assertThat(LLAMA3.isEndOfGeneration(21)).isFalse();
    assertThat(LLAMA3.vocabulary().special().eot()).isEqualTo(23);
    assertThat(LLAMA3.vocabulary().special().eom()).isEqualTo(24);
  }

  @Test
  void streamingDecoderHoldsHalfCharacters() {
    // a vocabulary whose tokens are single bytes of é
    BpeTokenizer bytes =
        new BpeTokenizer(
            new Vocabulary(new String[] {"Ã", "©", "h"}, null, null,
                new SpecialTokens(-1, -1, -1, -1, -1, false, false)),
            new String[0],
            BpePreTokenizer.LLAMA3);
    assertThat(bytes.encode("é", false, false)).containsExactly(0, 1);
    StreamingDecoder decoder = bytes.streamingDecoder();
    assertThat(decoder.accept(2)).isEqualTo("h");
    assertThat(decoder.accept(0)).isEmpty();
    assertThat(decoder.accept(1)).isEqualTo("é");
    assertThat(decoder.flush()).isEmpty();
  }

  @Test
  void decodeCleansSpacesLikeLlamaCpp() {
    assertThat(LLAMA3.decode(new int[] {id("hello"), id("Ġ"), id("?")})).isEqualTo("hello?");
    assertThat(clean("Hello , world .")).isEqualTo("Hello, world.");
    assertThat(clean("a ' b")).isEqualTo("a'b");
    assertThat(clean("I 'm we 're you 've it 's")).isEqualTo("I'm we're you've it's");
    assertThat(clean("don 't I 'd we 'll")).isEqualTo("don 't I 'd we 'll");
    assertThat(clean("")).isEmpty();
  }

  private static String clean(String text) {
    return new String(
        BpeTokenizer.cleanSpaces(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  @Test
  void longRepetitiveTextEncodesAndRoundTrips() {
    String text = "hello world\n".repeat(20_000);
    int[] ids = LLAMA3.encode(text, false, false);
    assertThat(ids).hasSize(20_000 * 4);
    assertThat(LLAMA3.decode(ids)).isEqualTo(text);
  }

  @Test
  void malformedMergesAreRefused() {
    assertThatThrownBy(
            () ->
                new BpeTokenizer(
                    new Vocabulary(new String[] {"a"}, null, null,
                        new SpecialTokens(-1, -1, -1, -1, -1, false, false)),
                    new String[] {"ab"},
                    BpePreTokenizer.LLAMA3))
        .hasMessageContaining("merge 0 is 'ab'");
  }
}
