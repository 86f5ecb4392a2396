package dev.pagoda.core.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE of GGUF's {@code gpt2} tokenizer model, as llama.cpp's {@code llm_tokenizer_bpe}:
 * special tokens are split out, the text is cut into words by the {@link BpePreTokenizer}, each
 * word's UTF-8 bytes are written in GPT-2's {@link ByteLevelAlphabet}, and adjacent symbols are
 * merged lowest merge rank first (leftmost on ties) using {@code tokenizer.ggml.merges}.
 *
 * <p>Words are cached (bounded), so long texts with repeated words cost one hash lookup per word;
 * merging a new word is O(m log m) in its length.
 */
public final class BpeTokenizer implements Tokenizer {

  private static final int WORD_CACHE_LIMIT = 1 << 16;

  private final Vocabulary vocabulary;
  private final BpePreTokenizer preTokenizer;
  private final Map<String, Integer> mergeRanks;
  private final SpecialTokenSplitter splitter;
  private final Map<String, int[]> wordCache = new ConcurrentHashMap<>();

  /**
   * @param vocabulary the tokens (in byte-level alphabet form) and types
   * @param merges the merge list, highest priority first, each "left right"
   * @param preTokenizer how text is split into words
   * @throws IllegalArgumentException for a merge without a separating space
   */
  public BpeTokenizer(Vocabulary vocabulary, String[] merges, BpePreTokenizer preTokenizer) {
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    this.preTokenizer = Objects.requireNonNull(preTokenizer, "preTokenizer");
    Objects.requireNonNull(merges, "merges");
    this.mergeRanks = HashMap.newHashMap(merges.length);
    for (int rank = 0; rank < merges.length; rank++) {
      String merge = merges[rank];
      // llama.cpp splits at the first space after the first character.
      if (merge == null || merge.indexOf(' ', 1) < 0) {
        throw new IllegalArgumentException(
            "merge " + rank + " is '" + merge + "', expected two symbols separated by a space");
      }
      mergeRanks.putIfAbsent(merge, rank); // a repeated merge keeps its first rank
    }
    this.splitter = new SpecialTokenSplitter(vocabulary);
  }

  @Override
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  public BpePreTokenizer preTokenizer() {
    return preTokenizer;
  }

  @Override
  public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
    Objects.requireNonNull(text, "text");
    SpecialTokens special = vocabulary.special();
    IntList output = new IntList(text.length() / 3 + 4);
    if (addSpecial && special.addBos()) {
      output.add(SpecialTokens.requireRole("BOS", special.bos()));
    }
    for (Fragment fragment : splitter.split(text, parseSpecial)) {
      switch (fragment) {
        case Fragment.Special(int id) -> output.add(id);
        case Fragment.Text(int start, int end) -> {
          for (String word : preTokenizer.split(text.substring(start, end))) {
            output.addAll(encodeWord(word));
          }
        }
      }
    }
    if (addSpecial && special.addEos()) {
      output.add(SpecialTokens.requireRole("EOS", special.eos()));
    }
    return output.toArray();
  }

  private int[] encodeWord(String word) {
    int[] cached = wordCache.get(word);
    if (cached != null) {
      return cached;
    }
    int[] ids = mergeWord(ByteLevelAlphabet.encode(word.getBytes(StandardCharsets.UTF_8)));
    if (wordCache.size() >= WORD_CACHE_LIMIT) {
      wordCache.clear();
    }
    wordCache.put(word, ids);
    return ids;
  }

  /** Merges one word given in byte-level alphabet form (every char is one symbol). */
  int[] mergeWord(String symbolsText) {
    if (preTokenizer.ignoreMerges()) {
      int whole = vocabulary.id(symbolsText);
      if (whole != SpecialTokens.NONE) {
        return new int[] {whole};
      }
    }
    int n = symbolsText.length();
    int[] length = new int[n];
    int[] prev = new int[n];
    int[] next = new int[n];
    for (int i = 0; i < n; i++) {
      length[i] = 1;
      prev[i] = i - 1;
      next[i] = i + 1 < n ? i + 1 : -1;
    }
    PriorityQueue<Bigram> queue =
        new PriorityQueue<>(
            (a, b) -> {
              int byRank = Integer.compare(a.rank(), b.rank());
              return byRank != 0 ? byRank : Integer.compare(a.left(), b.left());
            });
    for (int i = 1; i < n; i++) {
      addBigram(queue, symbolsText, length, i - 1, i);
    }
    while (!queue.isEmpty()) {
      Bigram bigram = queue.poll();
      int left = bigram.left();
      int right = bigram.right();
      if (length[left] == 0 || length[right] == 0 || length[left] + length[right] != bigram.length()
          || right != left + length[left]) {
        continue; // outdated: one side changed since this bigram was queued
      }
      length[left] += length[right];
      length[right] = 0;
      next[left] = next[right];
      if (next[right] >= 0) {
        prev[next[right]] = left;
      }
      addBigram(queue, symbolsText, length, prev[left], left);
      addBigram(queue, symbolsText, length, left, next[left]);
    }
    IntList ids = new IntList(n);
    for (int i = n == 0 ? -1 : 0; i != -1; i = next[i]) {
      String symbol = symbolsText.substring(i, i + length[i]);
      int id = vocabulary.id(symbol);
      if (id != SpecialTokens.NONE) {
        ids.add(id);
        continue;
      }
      // llama.cpp then tries each byte of the symbol's UTF-8 form as a one-byte token: only
      // ASCII characters can match; the others are dropped, as there.
      for (int k = 0; k < symbol.length(); k++) {
        char c = symbol.charAt(k);
        int single = c < 0x80 ? vocabulary.id(String.valueOf(c)) : SpecialTokens.NONE;
        if (single != SpecialTokens.NONE) {
          ids.add(single);
        }
      }
    }
    return ids.toArray();
  }

  private void addBigram(
      PriorityQueue<Bigram> queue, String text, int[] length, int left, int right) {
    if (left == -1 || right == -1) {
      return;
    }
    String key =
        text.substring(left, left + length[left]) + " " + text.substring(right, right + length[right]);
    Integer rank = mergeRanks.get(key);
    if (rank != null) {
      queue.add(new Bigram(left, right, rank, length[left] + length[right]));
    }
  }

  /**
   * A queued merge of the symbols starting at {@code left} and {@code right}. Symbols only grow
   * rightwards from a fixed start, so equal start positions and total length mean equal text.
   */
  private record Bigram(int left, int right, int rank, int length) {}

  @Override
  public String decode(int[] ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int id : ids) {
      out.writeBytes(pieceBytes(id));
    }
    return new String(cleanSpaces(out.toByteArray()), StandardCharsets.UTF_8);
  }

  @Override
  public byte[] pieceBytes(int id) {
    vocabulary.checkedId(id);
    String text = vocabulary.text(id);
    return switch (vocabulary.type(id)) {
      case CONTROL, USER_DEFINED, UNKNOWN -> text.getBytes(StandardCharsets.UTF_8);
      case NORMAL -> alphabetToBytes(text);
      case BYTE, UNUSED, UNDEFINED -> new byte[0];
    };
  }

  // llama.cpp's llama_decode_text, including its marker for characters outside the alphabet.
  private static byte[] alphabetToBytes(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              int b = ByteLevelAlphabet.byteOf(cp);
              if (b >= 0) {
                out.write(b);
              } else {
                StringBuilder marker = new StringBuilder("[UNK_BYTE_0x");
                for (byte u : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) {
                  marker.append(String.format("%02x", u & 0xff));
                }
                marker.append(text).append(']');
                out.writeBytes(marker.toString().getBytes(StandardCharsets.UTF_8));
              }
            });
    return out.toByteArray();
  }

  /**
   * llama.cpp's {@code clean_spaces} pass of {@code detokenize}: drops the space before {@code ?!.,},
   * the spaces around a lone apostrophe, and the space before {@code 's 'm 're 've}.
   */
  static byte[] cleanSpaces(byte[] text) {
    // pass 1: " ?", " !", " .", " ,"
    byte[] t = text;
    int kept = 0;
    byte[] dst = new byte[t.length];
    if (t.length > 0) {
      dst[kept++] = t[0];
    }
    for (int i = 1; i < t.length; i++) {
      byte x = t[i];
      if (t[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) {
        kept--;
      }
      dst[kept++] = x;
    }
    // pass 2: " ' " -> "'"
    t = Arrays.copyOf(dst, kept);
    kept = 0;
    if (t.length > 0) {
      dst[kept++] = t[0];
    }
    for (int i = 1; i < t.length; i++) {
      byte x = t[i];
      if (x == '\'' && i + 1 < t.length && t[i - 1] == ' ' && t[i + 1] == ' ') {
        kept--;
        t[++i] = 0; // the space after is consumed; llama.cpp leaves a NUL behind in the source
      }
      dst[kept++] = x;
    }
    // pass 3: " 's", " 'm", " 're", " 've" lose their space
    t = Arrays.copyOf(dst, kept);
    kept = 0;
    if (t.length > 0) {
      dst[kept++] = t[0];
    }
    for (int i = 1; i < t.length; i++) {
      byte x = t[i];
      if (t[i - 1] == ' ' && x == '\'' && i + 1 < t.length) {
        byte x1 = t[i + 1];
        if (x1 == 's' || x1 == 'm') {
          kept--;
        } else if (x1 != 't' && x1 != 'd' && i + 2 < t.length) {
          byte x2 = t[i + 2];
          if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) {
            kept--;
          }
        }
      }
      dst[kept++] = x;
    }
    return Arrays.copyOf(dst, kept);
  }
}
