package dev.pagoda.core.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's byte-to-unicode table: byte-level BPE vocabularies store each byte as a printable
 * character. Printable Latin-1 bytes ({@code !}..{@code ~}, {@code ¡}..{@code ¬}, {@code ®}..{@code
 * ÿ}) stand for themselves; the other 68 bytes map, in order, to U+0100 and up (so a space is
 * {@code Ġ} U+0120 and a newline {@code Ċ} U+010A).
 */
final class ByteLevelAlphabet {

  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[0x144];

  static {
    Arrays.fill(CHAR_TO_BYTE, -1);
    int next = 0x100;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      char c = printable ? (char) b : (char) next++;
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevelAlphabet() {}

  /** The character standing for byte {@code b} (0..255). */
  static char charOf(int b) {
    return BYTE_TO_CHAR[b];
  }

  /** The byte a character stands for, or -1 if it is not in the alphabet. */
  static int byteOf(int codePoint) {
    return codePoint >= 0 && codePoint < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[codePoint] : -1;
  }

  /** The alphabet form of a byte string. */
  static String encode(byte[] bytes) {
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      chars[i] = BYTE_TO_CHAR[bytes[i] & 0xff];
    }
    return new String(chars);
  }
}
