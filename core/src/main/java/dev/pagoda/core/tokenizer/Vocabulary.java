package dev.pagoda.core.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The token table shared by every tokenizer: text, score and type per id, the reverse text-to-id
 * map, the special token ids and the end-of-generation set. Immutable and thread-safe.
 *
 * <p>Loading follows llama.cpp's {@code llama_vocab::load}: an empty token text becomes {@code
 * [EMPTY_<id>]}; two tokens with the same text are refused (llama.cpp asserts on it); tokens named
 * like end-of-turn markers ({@code <|eot_id|>}, {@code <|eom_id|>}, {@code <|end_of_text|>}, …) are
 * end-of-generation tokens and are forced to {@link TokenType#CONTROL}.
 */
public final class Vocabulary {

  /** Token texts llama.cpp treats as end of generation whatever the metadata says. */
  private static final Set<String> EOG_TEXTS =
      Set.of(
          "<|eot_id|>",
          "<|im_end|>",
          "<|end|>",
          "<end_of_turn>",
          "<|endoftext|>",
          "<|eom_id|>",
          "<EOT>",
          "<|end_of_text|>");

  /** Texts that identify the end-of-turn token when the metadata has no id for it. */
  private static final Set<String> EOT_TEXTS =
      Set.of(
          "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>");

  private final String[] texts;
  private final float[] scores;
  private final TokenType[] types;
  private final Map<String, Integer> ids;
  private final SpecialTokens special;
  private final BitSet endOfGeneration;
  private final int[] specialIdsLongestFirst;

  /**
   * Builds a vocabulary.
   *
   * @param tokens token texts, index = id
   * @param scores per-token scores (SentencePiece log probabilities), or null for all 0
   * @param tokenTypes per-token GGUF type codes, or null for all {@link TokenType#NORMAL}
   * @param special role ids; each must be {@link SpecialTokens#NONE} or a valid id
   * @throws IllegalArgumentException for mismatched lengths, duplicate texts or bad ids
   */
  public Vocabulary(String[] tokens, float[] scores, int[] tokenTypes, SpecialTokens special) {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(special, "special");
    int n = tokens.length;
    if (n == 0) {
      throw new IllegalArgumentException("vocabulary has no tokens");
    }
    if (scores != null && scores.length != n) {
      throw new IllegalArgumentException(
          "scores has " + scores.length + " entries but there are " + n + " tokens");
    }
    if (tokenTypes != null && tokenTypes.length != n) {
      throw new IllegalArgumentException(
          "token types has " + tokenTypes.length + " entries but there are " + n + " tokens");
    }
    this.texts = new String[n];
    this.scores = scores == null ? new float[n] : scores.clone();
    this.types = new TokenType[n];
    this.ids = HashMap.newHashMap(n);
    for (int i = 0; i < n; i++) {
      String text = tokens[i];
      if (text == null || text.isEmpty()) {
        text = "[EMPTY_" + i + "]";
      }
      texts[i] = text;
      types[i] = tokenTypes == null ? TokenType.NORMAL : TokenType.fromCode(tokenTypes[i]);
      Integer previous = ids.putIfAbsent(text, i);
      if (previous != null) {
        throw new IllegalArgumentException(
            "tokens " + previous + " and " + i + " have the same text '" + text + "'");
      }
    }
    checkId("bos", special.bos());
    checkId("eos", special.eos());
    checkId("unk", special.unk());
    checkId("eot", special.eot());
    checkId("eom", special.eom());

    int eot = special.eot() != SpecialTokens.NONE ? special.eot() : lowestIdOf(EOT_TEXTS);
    int eom = special.eom() != SpecialTokens.NONE ? special.eom() : lowestIdOf(Set.of("<|eom_id|>"));
    this.special =
        new SpecialTokens(
            special.bos(), special.eos(), special.unk(), eot, eom, special.addBos(), special.addEos());

    this.endOfGeneration = new BitSet(n);
    for (String text : EOG_TEXTS) {
      Integer id = ids.get(text);
      if (id != null) {
        endOfGeneration.set(id);
        types[id] = TokenType.CONTROL;
      }
    }
    for (int id : new int[] {special.eos(), eot, eom}) {
      if (id != SpecialTokens.NONE) {
        endOfGeneration.set(id);
      }
    }
    if (eot != SpecialTokens.NONE) {
      types[eot] = TokenType.CONTROL;
    }
    if (eom != SpecialTokens.NONE) {
      types[eom] = TokenType.CONTROL;
    }

    List<Integer> specialIds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (types[i].isSpecial()) {
        specialIds.add(i);
      }
    }
    // Longest text first so that a special token is never split by a shorter one inside it;
    // equal lengths by id, to be deterministic.
    specialIds.sort(
        (a, b) -> {
          int byLength = Integer.compare(texts[b].length(), texts[a].length());
          return byLength != 0 ? byLength : Integer.compare(a, b);
        });
    this.specialIdsLongestFirst = specialIds.stream().mapToInt(Integer::intValue).toArray();
  }

  private void checkId(String role, int id) {
    if (id != SpecialTokens.NONE && (id < 0 || id >= texts.length)) {
      throw new IllegalArgumentException(
          role + " token id " + id + " is outside the vocabulary [0, " + texts.length + ")");
    }
  }

  private int lowestIdOf(Set<String> candidates) {
    int best = SpecialTokens.NONE;
    for (String text : candidates) {
      Integer id = ids.get(text);
      if (id != null && (best == SpecialTokens.NONE || id < best)) {
        best = id;
      }
    }
    return best;
  }

  /** Number of tokens. */
  public int size() {
    return texts.length;
  }

  /** The token's text as stored in the vocabulary (SentencePiece spaces are U+2581). */
  public String text(int id) {
    return texts[checkedId(id)];
  }

  public float score(int id) {
    return scores[checkedId(id)];
  }

  public TokenType type(int id) {
    return types[checkedId(id)];
  }

  /** The id of the token with exactly this text, or {@link SpecialTokens#NONE}. */
  public int id(String text) {
    Integer id = ids.get(text);
    return id == null ? SpecialTokens.NONE : id;
  }

  /** The role ids, with end-of-turn/end-of-message found by text where the metadata had none. */
  public SpecialTokens special() {
    return special;
  }

  /** EOS, EOT, EOM and the tokens llama.cpp recognises by text as ending a generation. */
  public boolean isEndOfGeneration(int id) {
    return id >= 0 && id < texts.length && endOfGeneration.get(id);
  }

  /** Control, user-defined and unknown token ids, longest text first. */
  int[] specialIdsLongestFirst() {
    return specialIdsLongestFirst;
  }

  int checkedId(int id) {
    if (id < 0 || id >= texts.length) {
      throw new IllegalArgumentException(
          "token id " + id + " is outside the vocabulary [0, " + texts.length + ")");
    }
    return id;
  }

  @Override
  public String toString() {
    return "Vocabulary[" + texts.length + " tokens, " + special + ", end of generation "
        + Arrays.toString(endOfGeneration.stream().toArray()) + "]";
  }
}
