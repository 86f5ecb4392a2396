package dev.pagoda.core.synth;

/**
 * GPT-2's byte-level alphabet in its rank order, the order of the first 256 tokens of a Llama 3
 * vocabulary: the 188 printable Latin-1 bytes as themselves ({@code !} is token 0), then the other
 * 68 bytes, in byte order, as U+0100 onwards (so a space, byte 32, is {@code Ġ}, token 220).
 */
final class ByteAlphabet {

    /** The character of token id {@code i}, for i in 0..255. */
    private static final char[] TOKEN_CHARS = new char[256];
    /** The character standing for byte {@code b}. */
    private static final char[] BYTE_CHARS = new char[256];

    static {
        int id = 0;
        for (int b = 0; b < 256; b++) {
            if (printable(b)) {
                TOKEN_CHARS[id++] = (char) b;
                BYTE_CHARS[b] = (char) b;
            }
        }
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            if (!printable(b)) {
                TOKEN_CHARS[id++] = (char) next;
                BYTE_CHARS[b] = (char) next++;
            }
        }
    }

    private ByteAlphabet() {
    }

    private static boolean printable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
    }

    /** The single-character text of byte token {@code id} (0..255). */
    static String tokenText(int id) {
        return String.valueOf(TOKEN_CHARS[id]);
    }

    /** The alphabet form of UTF-8 bytes. */
    static String encode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(BYTE_CHARS[b & 0xff]);
        }
        return sb.toString();
    }

    /** Whether every character of {@code text} stands for a byte. */
    static boolean isAlphabetText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean standsForByte = c < 0x100 ? printable(c) : c < 0x100 + 68;
            if (!standsForByte) {
                return false;
            }
        }
        return !text.isEmpty();
    }
}
