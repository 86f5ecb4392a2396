package dev.pagoda.core.tokenizer;

/**
 * The token kinds of GGUF's {@code tokenizer.ggml.token_type} array, with the codes llama.cpp's
 * {@code llama_token_type} gives them. A missing array means every token is {@link #NORMAL}.
 */
public enum TokenType {
  /** Code 0, or any code this enum does not know: rendered as nothing. */
  UNDEFINED(0),
  /** Code 1: ordinary text. */
  NORMAL(1),
  /** Code 2: the unknown token ({@code <unk>}). */
  UNKNOWN(2),
  /** Code 3: control tokens such as BOS/EOS; only parsed from text when asked to. */
  CONTROL(3),
  /** Code 4: added tokens that are always split out of the text before tokenizing. */
  USER_DEFINED(4),
  /** Code 5: reserved, never produced, rendered as nothing. */
  UNUSED(5),
  /** Code 6: a SentencePiece byte-fallback token {@code <0xNN>}. */
  BYTE(6);

  private final int code;

  TokenType(int code) {
    this.code = code;
  }

  /** The GGUF code. */
  public int code() {
    return code;
  }

  /** The type for a GGUF code; codes outside 0..6 are {@link #UNDEFINED}, as in llama.cpp. */
  public static TokenType fromCode(int code) {
    return switch (code) {
      case 1 -> NORMAL;
      case 2 -> UNKNOWN;
      case 3 -> CONTROL;
      case 4 -> USER_DEFINED;
      case 5 -> UNUSED;
      case 6 -> BYTE;
      default -> UNDEFINED;
    };
  }

  /** Control, user-defined and unknown tokens are the ones matched verbatim in input text. */
  boolean isSpecial() {
    return this == CONTROL || this == USER_DEFINED || this == UNKNOWN;
  }
}
