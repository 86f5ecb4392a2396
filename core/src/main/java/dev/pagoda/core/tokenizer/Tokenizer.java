package dev.pagoda.core.tokenizer;

import dev.pagoda.gguf.Metadata;

/**
 * Text to token ids and back, built from a GGUF file's {@code tokenizer.ggml.*} metadata and
 * behaving like llama.cpp's tokenizer for the same file. Implementations are immutable and
 * thread-safe; the {@link StreamingDecoder} they hand out is not.
 */
public sealed interface Tokenizer permits SentencePieceTokenizer, BpeTokenizer {

  /**
   * The tokenizer a GGUF file describes: {@code tokenizer.ggml.model} "llama" gives a {@link
   * SentencePieceTokenizer}, "gpt2" a {@link BpeTokenizer} (pre-tokenizer {@code llama-bpe} or
   * {@code default}/absent).
   *
   * @throws IllegalArgumentException naming the key when the model or pre-tokenizer is not
   *     supported or the tokenizer metadata is missing or inconsistent
   */
  static Tokenizer fromMetadata(Metadata md) {
    return TokenizerLoader.load(md);
  }

  /**
   * Token ids for {@code text}.
   *
   * @param addSpecial add BOS (and EOS) as the vocabulary says ({@code add_bos_token}, {@code
   *     add_eos_token}, with llama.cpp's defaults per tokenizer type)
   * @param parseSpecial match control tokens such as {@code <|eot_id|>} written in the text; when
   *     false they are tokenized as plain text (user-defined tokens are matched either way)
   */
  int[] encode(String text, boolean addSpecial, boolean parseSpecial);

  /**
   * The text of these tokens: pieces concatenated as llama.cpp's {@code detokenize} does with
   * special tokens rendered as their text. A SentencePiece vocabulary drops the one leading space
   * that the dummy prefix added; a byte-level BPE vocabulary applies llama.cpp's clean-up of spaces
   * before punctuation. Bytes that are not valid UTF-8 become U+FFFD.
   */
  String decode(int[] ids);

  /** The raw bytes of one token's piece (a byte-fallback token gives its byte). */
  byte[] pieceBytes(int id);

  /** A fresh decoder for a stream of generated tokens. */
  default StreamingDecoder streamingDecoder() {
    return new StreamingDecoder(this);
  }

  /** The role ids and end-of-generation set of this tokenizer. */
  Vocabulary vocabulary();

  /** Beginning-of-sequence id, or -1 if none. */
  default int bos() {
    return vocabulary().special().bos();
  }

  /** End-of-sequence id, or -1 if none. */
  default int eos() {
    return vocabulary().special().eos();
  }

  default int vocabSize() {
    return vocabulary().size();
  }

  /** True for EOS, end-of-turn, end-of-message and the other tokens that end a generation. */
  default boolean isEndOfGeneration(int id) {
    return vocabulary().isEndOfGeneration(id);
  }

  /** The token's text as stored in the vocabulary. */
  default String tokenText(int id) {
    return vocabulary().text(id);
  }

  /** The token's GGUF type code (see {@link TokenType}). */
  default int tokenType(int id) {
    return vocabulary().type(id).code();
  }
}
