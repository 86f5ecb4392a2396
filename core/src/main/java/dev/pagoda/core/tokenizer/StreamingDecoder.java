package dev.pagoda.core.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns generated token ids into text as they come, never emitting half a character: a token may
 * end in the middle of a UTF-8 sequence (byte-fallback tokens, byte-level BPE), so the incomplete
 * tail is held until the next token completes it. Invalid bytes become U+FFFD once it is clear they
 * cannot be completed. Pieces are concatenated as they are (no leading-space removal), like
 * llama.cpp prints a generation. One per generation; not thread-safe.
 */
public final class StreamingDecoder {

  private final Tokenizer tokenizer;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  StreamingDecoder(Tokenizer tokenizer) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
  }

  /** Adds one token and returns the text that is now complete (possibly empty). */
  public String accept(int id) {
    pending.writeBytes(tokenizer.pieceBytes(id));
    byte[] bytes = pending.toByteArray();
    int complete = completePrefixLength(bytes);
    pending.reset();
    pending.write(bytes, complete, bytes.length - complete);
    return new String(bytes, 0, complete, StandardCharsets.UTF_8);
  }

  /** At the end of the generation: whatever is held back, with U+FFFD for an unfinished char. */
  public String flush() {
    byte[] bytes = pending.toByteArray();
    pending.reset();
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Length of the longest prefix that does not end inside a UTF-8 sequence that could still be
   * completed by more bytes.
   */
  static int completePrefixLength(byte[] bytes) {
    int n = bytes.length;
    // A sequence is at most 4 bytes: look back at most 3 bytes for its lead byte.
    for (int back = 1; back <= Math.min(3, n); back++) {
      int b = bytes[n - back] & 0xff;
      if ((b & 0xC0) == 0x80) {
        continue; // continuation byte: keep looking for the lead
      }
      int expected = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
      return expected > back ? n - back : n;
    }
    return n;
  }
}
