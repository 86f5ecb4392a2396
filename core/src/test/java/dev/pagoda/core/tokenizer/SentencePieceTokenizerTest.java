package dev.pagoda.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The SentencePiece merge rules on a hand-built vocabulary whose results can be derived by hand. */
class SentencePieceTokenizerTest {

  private static final int UNK = 0;
  private static final int BOS = 1;
  private static final int EOS = 2;
  private static final int NL = 3;
  private static final int C3 = 4;
  private static final int AF = 5;
  private static final int SPACE = 6;
  private static final int A = 7;
  private static final int AA = 8;
  private static final int B = 9;
  private static final int C = 10;
  private static final int AB = 11;
  private static final int BC = 12;
  private static final int H = 13;
  private static final int I = 14;
  private static final int HI = 15;
  private static final int SPACE_HI = 16;
  private static final int TOOL = 17;
  private static final int UNUSED = 18;

  private static final String[] TOKENS = {
    "<unk>", "<s>", "</s>", "<0x0A>", "<0xC3>", "<0xAF>", "▁", "a", "aa", "b", "c", "ab", "bc", "h",
    "i", "hi", "▁hi", "<tool>", "<unused0>"
  };
  private static final float[] SCORES = {
    0, 0, 0, 0, 0, 0, -1, -2, -1, -2, -2, -2, -1, -2, -2, -1, -0.5f, 0, 0
  };
  private static final int[] TYPES = {2, 3, 3, 6, 6, 6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 5};

  private static SentencePieceTokenizer tokenizer(boolean addSpacePrefix, SpecialTokens special) {
    return new SentencePieceTokenizer(
        new Vocabulary(TOKENS, SCORES, TYPES, special), addSpacePrefix);
  }

  private static final SentencePieceTokenizer SPM =
      tokenizer(true, SpecialTokens.sentencePieceDefaults());

  @Test
  void higherScoreMergesFirst() {
    // "ab" (-2) and "bc" (-1) compete for the b: bc wins.
    assertThat(SPM.encode("abc", false, false)).containsExactly(SPACE, A, BC);
  }

  @Test
  void equalScoresMergeLeftmostFirst() {
    // Both "aa" bigrams score -1: the left one merges, leaving the last a alone.
    assertThat(SPM.encode("aaa", false, false)).containsExactly(SPACE, AA, A);
  }

  @Test
  void dummyPrefixJoinsTheFirstWord() {
    // "▁h" is not a token, so "hi" merges first, then ▁ + hi = ▁hi.
    assertThat(SPM.encode("hi", false, false)).containsExactly(SPACE_HI);
    assertThat(tokenizer(false, SpecialTokens.sentencePieceDefaults()).encode("hi", false, false))
        .containsExactly(HI);
    assertThat(SPM.encode("hi hi", false, false)).containsExactly(SPACE_HI, SPACE_HI);
  }

  @Test
  void emptyTextIsEmptyOrJustBos() {
    assertThat(SPM.encode("", false, false)).isEmpty();
    assertThat(SPM.encode("", true, false)).containsExactly(BOS);
  }

  @Test
  void addSpecialAddsBosAndEosAsConfigured() {
    assertThat(SPM.encode("hi", true, false)).containsExactly(BOS, SPACE_HI);
    SentencePieceTokenizer withEos =
        tokenizer(true, new SpecialTokens(BOS, EOS, UNK, -1, -1, false, true));
    assertThat(withEos.encode("hi", true, false)).containsExactly(SPACE_HI, EOS);
  }

  @Test
  void unknownCharactersFallBackToBytesThenToUnk() {
    // ï = C3 AF has byte tokens; \n = 0A too; z has neither a token nor a byte token -> <unk>.
    assertThat(SPM.encode("ï", false, false)).containsExactly(SPACE, C3, AF);
    assertThat(SPM.encode("\n", false, false)).containsExactly(SPACE, NL);
    assertThat(SPM.encode("z", false, false)).containsExactly(SPACE, UNK);
  }

  @Test
  void controlTokensAreParsedOnlyWhenAsked() {
    // parsed: <s> is a token, and the text after it gets the dummy prefix again.
    assertThat(SPM.encode("<s>hi", false, true)).containsExactly(BOS, SPACE_HI);
    // not parsed: "<", "s", ">" are unknown characters without byte tokens.
    assertThat(SPM.encode("<s>hi", false, false)).containsExactly(SPACE, UNK, UNK, UNK, HI);
  }

  @Test
  void userDefinedTokensAreAlwaysSplitOut() {
    assertThat(SPM.encode("hi<tool>hi", false, false)).containsExactly(SPACE_HI, TOOL, SPACE_HI);
  }

  @Test
  void decodeDropsTheDummyPrefixSpaceOnly() {
    assertThat(SPM.decode(new int[] {SPACE_HI, SPACE_HI})).isEqualTo("hi hi");
    assertThat(SPM.decode(new int[] {SPACE, SPACE_HI})).isEqualTo(" hi");
    // with BOS first, BOS takes the strip (as in llama.cpp's detokenize) and renders as text
    assertThat(SPM.decode(new int[] {BOS, SPACE_HI, EOS})).isEqualTo("<s> hi</s>");
    assertThat(SPM.decode(new int[] {SPACE, C3, AF})).isEqualTo("ï");
    assertThat(SPM.decode(new int[] {UNUSED, A})).isEqualTo("a");
  }

  @Test
  void encodeThenDecodeRoundTrips() {
    for (String text : new String[] {"hi", "abc aaa", " hi", "ï\n"}) {
      assertThat(SPM.decode(SPM.encode(text, false, false))).as(text).isEqualTo(text);
    }
    // As in llama.cpp, the dummy prefix added after a special token stays in the decoded text.
    assertThat(SPM.decode(SPM.encode("hi<tool>hi", false, false))).isEqualTo("hi<tool> hi");
  }

  @Test
  void pieceBytesFollowTokenTypes() {
    assertThat(SPM.pieceBytes(SPACE_HI)).isEqualTo(" hi".getBytes(StandardCharsets.UTF_8));
    assertThat(SPM.pieceBytes(C3)).containsExactly((byte) 0xC3);
    assertThat(SPM.pieceBytes(BOS)).isEqualTo("<s>".getBytes(StandardCharsets.UTF_8));
    assertThat(SPM.pieceBytes(UNUSED)).isEmpty();
    assertThatThrownBy(() -> SPM.pieceBytes(TOKENS.length))
        .hasMessageContaining("token id " + TOKENS.length);
  }

  @Test
  void streamingDecoderNeverSplitsACharacter() {
    StreamingDecoder decoder = SPM.streamingDecoder();
    assertThat(decoder.accept(SPACE_HI)).isEqualTo(" hi");
    assertThat(decoder.accept(C3)).isEmpty();
    assertThat(decoder.accept(AF)).isEqualTo("ï");
    assertThat(decoder.accept(C3)).isEmpty();
    assertThat(decoder.flush()).isEqualTo("\uFFFD");
  }

  @Test
  void rolesAndEndOfGeneration() {
    assertThat(SPM.bos()).isEqualTo(BOS);
    assertThat(SPM.eos()).isEqualTo(EOS);
    assertThat(SPM.vocabSize()).isEqualTo(TOKENS.length);
    assertThat(SPM.isEndOfGeneration(EOS)).isTrue();
    assertThat(SPM.isEndOfGeneration(BOS)).isFalse();
    assertThat(SPM.isEndOfGeneration(-1)).isFalse();
    assertThat(SPM.tokenText(SPACE_HI)).isEqualTo("▁hi");
    assertThat(SPM.tokenType(TOOL)).isEqualTo(4);
  }

  @Test
  void badVocabulariesAreRefused() {
    assertThatThrownBy(
            () -> new Vocabulary(new String[] {"a", "a"}, null, null, sentencePieceNoRoles()))
        .hasMessageContaining("tokens 0 and 1 have the same text 'a'");
    assertThatThrownBy(
            () ->
                new SentencePieceTokenizer(
                    new Vocabulary(
                        new String[] {"<0xZZ>"}, null, new int[] {6}, sentencePieceNoRoles()),
                    true))
        .hasMessageContaining("byte token 0 is named '<0xZZ>'");
    assertThatThrownBy(
            () ->
                new Vocabulary(
                    new String[] {"a"}, null, null, SpecialTokens.sentencePieceDefaults()))
        .hasMessageContaining("bos token id 1 is outside the vocabulary");
    assertThatThrownBy(() -> new Vocabulary(new String[] {"a"}, new float[2], null,
            sentencePieceNoRoles()))
        .hasMessageContaining("scores has 2 entries");
  }

  @Test
  void aCharacterWithNoTokenAtAllIsAClearError() {
    SentencePieceTokenizer noFallback =
        new SentencePieceTokenizer(
            new Vocabulary(new String[] {"▁", "a"}, null, null, sentencePieceNoRoles()), true);
    assertThat(noFallback.encode("a a", false, false)).containsExactly(0, 1, 0, 1);
    assertThatThrownBy(() -> noFallback.encode("b", false, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no token for byte 0x62");
  }

  private static SpecialTokens sentencePieceNoRoles() {
    return new SpecialTokens(-1, -1, -1, -1, -1, false, false);
  }
}
