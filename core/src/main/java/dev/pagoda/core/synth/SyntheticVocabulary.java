package dev.pagoda.core.synth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Llama 3-style byte-level BPE vocabulary ({@code tokenizer.ggml.model = gpt2}, pre-tokenizer
 * {@code llama-bpe}) made from nothing but a built-in English text, so that a synthetic model
 * tokenizes and detokenizes like a real one.
 *
 * <p>Layout, as in Llama 3: ids 0..255 are the byte alphabet in GPT-2 rank order; then one token
 * per merge, in merge order; the top {@code specialTokens} ids are control tokens with Llama 3.1's
 * names ({@code <|begin_of_text|>} first, {@code <|end_of_text|>}, …, {@code <|eot_id|>} at +9,
 * the rest {@code <|reserved_special_token_N|>}), so a 128256-token vocabulary has BOS 128000, EOS
 * 128001 and end-of-turn 128009 exactly where Llama 3 has them.
 *
 * <p>Merges: first, BPE training on the built-in text (the most frequent adjacent pair, ties
 * broken by the pair's text, until no pair occurs twice); then, to fill the vocabulary, every
 * lowercase letter string of growing length, with and without a leading space ({@code Ġ}), built
 * one letter at a time. Every merge joins two existing tokens into a new one, so every token is
 * reachable and every token's text is byte-alphabet text that decodes to bytes.
 *
 * @param tokens     token texts, index = id
 * @param tokenTypes GGUF token types: 1 normal, 3 control
 * @param merges     {@code "left right"} strings in priority order
 * @param bos        {@code <|begin_of_text|>}
 * @param eos        {@code <|end_of_text|>}
 * @param eot        {@code <|eot_id|>}
 */
public record SyntheticVocabulary(String[] tokens, int[] tokenTypes, String[] merges, int bos, int eos, int eot) {

    /** GGUF token type of ordinary tokens. */
    public static final int NORMAL = 1;
    /** GGUF token type of control tokens. */
    public static final int CONTROL = 3;

    private static final String TRAINING_TEXT = "merge-training-text.txt";
    /** The Llama 3 pre-tokenizer's word split, reduced to what the ASCII training text needs. */
    private static final Pattern WORDS = Pattern.compile(
            "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+|\\s+");
    private static final List<String> NAMED_SPECIALS = List.of("<|begin_of_text|>", "<|end_of_text|>",
            "<|reserved_special_token_0|>", "<|reserved_special_token_1|>", "<|finetune_right_pad_id|>",
            "<|reserved_special_token_2|>", "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>", "<|eot_id|>",
            "<|python_tag|>");

    /**
     * Builds the vocabulary for {@code vocabSize} tokens whose top {@code specialTokens} ids are
     * control tokens.
     *
     * @throws IllegalArgumentException if fewer than 11 specials or no room for the byte tokens
     */
    public static SyntheticVocabulary build(int vocabSize, int specialTokens) {
        if (specialTokens < NAMED_SPECIALS.size() || vocabSize < 256 + specialTokens) {
            throw new IllegalArgumentException("a byte-level vocabulary of " + vocabSize + " tokens with "
                    + specialTokens + " control tokens is impossible (need at least " + NAMED_SPECIALS.size()
                    + " control tokens and 256 byte tokens)");
        }
        int firstSpecial = vocabSize - specialTokens;
        List<String> tokens = new ArrayList<>(vocabSize);
        Set<String> known = new HashSet<>();
        for (int id = 0; id < 256; id++) {
            tokens.add(ByteAlphabet.tokenText(id));
            known.add(tokens.getLast());
        }
        List<String> merges = new ArrayList<>();
        int budget = firstSpecial - 256;
        for (String[] pair : trainedMerges(budget)) {
            addMerge(pair[0], pair[1], tokens, known, merges);
        }
        fillWithLetterStrings(firstSpecial, tokens, known, merges);

        int[] types = new int[vocabSize];
        Arrays.fill(types, 0, firstSpecial, NORMAL);
        for (int i = 0; i < specialTokens; i++) {
            tokens.add(i < NAMED_SPECIALS.size() ? NAMED_SPECIALS.get(i)
                    : "<|reserved_special_token_" + (i - NAMED_SPECIALS.size() + 3) + "|>");
            types[firstSpecial + i] = CONTROL;
        }
        return new SyntheticVocabulary(tokens.toArray(String[]::new), types, merges.toArray(String[]::new),
                firstSpecial, firstSpecial + 1, firstSpecial + 9);
    }

    private static void addMerge(String left, String right, List<String> tokens, Set<String> known,
            List<String> merges) {
        String joined = left + right;
        if (!known.contains(left) || !known.contains(right) || !known.add(joined)) {
            throw new IllegalStateException("merge '" + left + " " + right + "' does not make a new token");
        }
        tokens.add(joined);
        merges.add(left + " " + right);
    }

    /** Fills ids up to {@code firstSpecial} with lowercase strings: Ġa..Ġz, then length 2 (Ġ first), 3, … */
    private static void fillWithLetterStrings(int firstSpecial, List<String> tokens, Set<String> known,
            List<String> merges) {
        String space = ByteAlphabet.encode(new byte[] {' '});
        for (int length = 1; tokens.size() < firstSpecial; length++) {
            for (String prefix : new String[] {space, ""}) {
                if (length == 1 && prefix.isEmpty()) {
                    continue;
                }
                char[] letters = new char[length];
                Arrays.fill(letters, 'a');
                while (tokens.size() < firstSpecial) {
                    String word = prefix + new String(letters);
                    if (!known.contains(word)) {
                        addMerge(word.substring(0, word.length() - 1), word.substring(word.length() - 1), tokens,
                                known, merges);
                    }
                    int i = length - 1;
                    while (i >= 0 && letters[i] == 'z') {
                        letters[i--] = 'a';
                    }
                    if (i < 0) {
                        break;
                    }
                    letters[i]++;
                }
            }
        }
    }

    /** Byte-pair merges learned from the built-in text, at most {@code limit}. */
    private static List<String[]> trainedMerges(int limit) {
        Map<String, Integer> wordCounts = new LinkedHashMap<>();
        Matcher m = WORDS.matcher(trainingText());
        while (m.find()) {
            wordCounts.merge(ByteAlphabet.encode(m.group().getBytes(StandardCharsets.UTF_8)), 1, Integer::sum);
        }
        List<List<String>> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        wordCounts.forEach((w, c) -> {
            List<String> symbols = new ArrayList<>();
            w.codePoints().forEach(cp -> symbols.add(Character.toString(cp)));
            words.add(symbols);
            counts.add(c);
        });
        List<String[]> merges = new ArrayList<>();
        while (merges.size() < limit) {
            Map<String, Integer> pairCounts = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> s = words.get(w);
                for (int i = 0; i + 1 < s.size(); i++) {
                    pairCounts.merge(s.get(i) + " " + s.get(i + 1), counts.get(w), Integer::sum);
                }
            }
            String best = null;
            int bestCount = 1;
            for (Map.Entry<String, Integer> e : pairCounts.entrySet()) {
                int c = e.getValue();
                if (c > bestCount || (c == bestCount && best != null && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (best == null) {
                break;
            }
            String[] pair = best.split(" ", 2);
            merges.add(pair);
            String joined = pair[0] + pair[1];
            for (List<String> s : words) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (s.get(i).equals(pair[0]) && s.get(i + 1).equals(pair[1])) {
                        s.set(i, joined);
                        s.remove(i + 1);
                    }
                }
            }
        }
        return merges;
    }

    private static String trainingText() {
        try (InputStream in = SyntheticVocabulary.class.getResourceAsStream(TRAINING_TEXT)) {
            if (in == null) {
                throw new IllegalStateException("resource " + TRAINING_TEXT + " is missing from the pagoda-core jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + TRAINING_TEXT, e);
        }
    }

    /** Number of tokens. */
    public int size() {
        return tokens.length;
    }
}
