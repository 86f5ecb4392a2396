package dev.pagoda.core.tokenizer;

/**
 * Ids of the tokens with a role, and whether {@code encode(…, addSpecial=true, …)} adds BOS and
 * EOS. {@link #NONE} (-1) marks a role the vocabulary does not have.
 *
 * @param bos beginning of sequence
 * @param eos end of sequence
 * @param unk unknown token, used when a byte has no byte-fallback token
 * @param eot end of turn ({@code tokenizer.ggml.eot_token_id}); found by text when {@link #NONE}
 * @param eom end of message ({@code tokenizer.ggml.eom_token_id}); found by text when {@link #NONE}
 * @param addBos whether encoding with special tokens starts with BOS
 * @param addEos whether encoding with special tokens ends with EOS
 */
public record SpecialTokens(int bos, int eos, int unk, int eot, int eom, boolean addBos, boolean addEos) {

  /** The id of an absent token (llama.cpp's {@code LLAMA_TOKEN_NULL}). */
  public static final int NONE = -1;

  /** llama.cpp's defaults for a SentencePiece ({@code llama}) vocabulary: BOS 1, EOS 2, UNK 0. */
  public static SpecialTokens sentencePieceDefaults() {
    return new SpecialTokens(1, 2, 0, NONE, NONE, true, false);
  }

  /** {@code id}, the token of {@code role} that encoding adds; throws where the vocabulary has none. */
  static int requireRole(String role, int id) {
    if (id == NONE) {
      throw new IllegalStateException(
          "the vocabulary asks for a " + role + " token but has no " + role + " id");
    }
    return id;
  }
}
