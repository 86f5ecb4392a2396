package dev.pagoda.core.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * The SentencePiece BPE tokenizer of GGUF's {@code llama} tokenizer model, as llama.cpp's {@code
 * llm_tokenizer_spm}: spaces become U+2581, a dummy-prefix space is added at the start and after
 * each special token, then adjacent pieces are merged greedily by vocabulary score (highest first,
 * leftmost on ties) while the merged text is a token. A leftover piece that is not a token is
 * written as byte-fallback tokens {@code <0xNN>}, one per UTF-8 byte.
 */
public final class SentencePieceTokenizer implements Tokenizer {

  private static final char SPACE_MARK = '\u2581';

  private final Vocabulary vocabulary;
  private final boolean addSpacePrefix;
  private final SpecialTokenSplitter splitter;
  private final int[] byteTokens = new int[256];

  /**
   * @param vocabulary the tokens, scores and types
   * @param addSpacePrefix SentencePiece's dummy prefix ({@code tokenizer.ggml.add_space_prefix},
   *     true by default)
   * @throws IllegalArgumentException when a {@link TokenType#BYTE} token is not named {@code
   *     <0xNN>}
   */
  public SentencePieceTokenizer(Vocabulary vocabulary, boolean addSpacePrefix) {
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    this.addSpacePrefix = addSpacePrefix;
    this.splitter = new SpecialTokenSplitter(vocabulary);
    for (int id = 0; id < vocabulary.size(); id++) {
      if (vocabulary.type(id) == TokenType.BYTE) {
        byteValue(id); // validates the name now rather than at decode time
      }
    }
    for (int b = 0; b < 256; b++) {
      byteTokens[b] = findByteToken(b);
    }
  }

  // llama.cpp's byte_to_token: "<0xNN>" (upper-case hex), else the byte itself as a one-char
  // token. Missing both, we fall back to the unknown token where llama.cpp would throw.
  private int findByteToken(int b) {
    int id = vocabulary.id(String.format("<0x%02X>", b));
    if (id == SpecialTokens.NONE && b < 0x80) {
      id = vocabulary.id(String.valueOf((char) b));
    }
    if (id == SpecialTokens.NONE) {
      id = vocabulary.special().unk();
    }
    return id;
  }

  @Override
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** Whether a dummy-prefix space is added before text at the start and after special tokens. */
  public boolean addSpacePrefix() {
    return addSpacePrefix;
  }

  @Override
  public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
    Objects.requireNonNull(text, "text");
    SpecialTokens special = vocabulary.special();
    IntList output = new IntList(text.length() / 2 + 4);
    if (addSpecial && special.addBos()) {
      output.add(SpecialTokens.requireRole("BOS", special.bos()));
    }
    boolean previousWasSpecial = true; // the start counts as "after a special token"
    for (Fragment fragment : splitter.split(text, parseSpecial)) {
      switch (fragment) {
        case Fragment.Special(int id) -> {
          output.add(id);
          previousWasSpecial = true;
        }
        case Fragment.Text(int start, int end) -> {
          String piece = text.substring(start, end);
          if (addSpacePrefix && previousWasSpecial) {
            piece = " " + piece;
          }
          new Session(piece.replace(' ', SPACE_MARK)).tokenize(output);
          previousWasSpecial = false;
        }
      }
    }
    if (addSpecial && special.addEos()) {
      output.add(SpecialTokens.requireRole("EOS", special.eos()));
    }
    return output.toArray();
  }

  @Override
  public String decode(int[] ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean removeSpace = addSpacePrefix;
    for (int id : ids) {
      byte[] piece = pieceBytes(id);
      int skip = removeSpace && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
      out.write(piece, skip, piece.length - skip);
      removeSpace = false;
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] pieceBytes(int id) {
    vocabulary.checkedId(id);
    return switch (vocabulary.type(id)) {
      case CONTROL, USER_DEFINED, UNKNOWN -> vocabulary.text(id).getBytes(StandardCharsets.UTF_8);
      case NORMAL ->
          vocabulary.text(id).replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
      case BYTE -> new byte[] {(byte) byteValue(id)};
      case UNUSED, UNDEFINED -> new byte[0];
    };
  }

  private int byteValue(int id) {
    String text = vocabulary.text(id);
    if (text.length() != 6 || !text.startsWith("<0x") || text.charAt(5) != '>') {
      throw new IllegalArgumentException(
          "byte token " + id + " is named '" + text + "', expected <0xNN>");
    }
    try {
      return Integer.parseInt(text, 3, 5, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "byte token " + id + " is named '" + text + "', expected <0xNN>", e);
    }
  }

  /** One bigram-merge run over one escaped text fragment (llama.cpp's spm session). */
  private final class Session {
    private final String text;
    // Symbols: one per code point at first; a merge grows the left one and empties the right.
    private final int[] start;
    private final int[] chars;
    private final int[] bytes; // UTF-8 length: llama.cpp detects stale bigrams by byte size
    private final int[] prev;
    private final int[] next;
    private final PriorityQueue<Bigram> queue =
        new PriorityQueue<>(
            (a, b) -> {
              int byScore = Float.compare(b.score(), a.score());
              return byScore != 0 ? byScore : Integer.compare(a.left(), b.left());
            });

    Session(String text) {
      this.text = text;
      int count = text.codePointCount(0, text.length());
      start = new int[count];
      chars = new int[count];
      bytes = new int[count];
      prev = new int[count];
      next = new int[count];
      int offset = 0;
      for (int i = 0; i < count; i++) {
        int cp = text.codePointAt(offset);
        start[i] = offset;
        chars[i] = Character.charCount(cp);
        bytes[i] = utf8Length(cp);
        prev[i] = i - 1;
        next[i] = i + 1 < count ? i + 1 : -1;
        offset += chars[i];
      }
    }

    void tokenize(IntList output) {
      int count = start.length;
      if (count == 0) {
        return;
      }
      for (int i = 1; i < count; i++) {
        tryAddBigram(i - 1, i);
      }
      while (!queue.isEmpty()) {
        Bigram bigram = queue.poll();
        int left = bigram.left();
        int right = bigram.right();
        if (chars[left] == 0 || chars[right] == 0 || bytes[left] + bytes[right] != bigram.size()) {
          continue; // one side was merged away since this bigram was queued
        }
        chars[left] += chars[right];
        bytes[left] += bytes[right];
        chars[right] = 0;
        bytes[right] = 0;
        next[left] = next[right];
        if (next[right] >= 0) {
          prev[next[right]] = left;
        }
        tryAddBigram(prev[left], left);
        tryAddBigram(left, next[left]);
      }
      for (int i = 0; i != -1; i = next[i]) {
        String piece = text.substring(start[i], start[i] + chars[i]);
        int id = vocabulary.id(piece);
        if (id != SpecialTokens.NONE) {
          output.add(id);
          continue;
        }
        for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
          int byteId = byteTokens[b & 0xff];
          if (byteId == SpecialTokens.NONE) {
            throw new IllegalStateException(
                String.format(
                    "no token for byte 0x%02X of '%s': the vocabulary has neither <0x%02X> nor an"
                        + " unknown token",
                    b & 0xff, piece, b & 0xff));
          }
          output.add(byteId);
        }
      }
    }

    private void tryAddBigram(int left, int right) {
      if (left == -1 || right == -1) {
        return;
      }
      String merged = text.substring(start[left], start[left] + chars[left] + chars[right]);
      int id = vocabulary.id(merged);
      if (id == SpecialTokens.NONE) {
        return;
      }
      queue.add(new Bigram(left, right, vocabulary.score(id), bytes[left] + bytes[right]));
    }
  }

  private record Bigram(int left, int right, float score, int size) {}

  static int utf8Length(int codePoint) {
    return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
  }
}
