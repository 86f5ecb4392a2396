package dev.pagoda.core.synth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The hyper-parameters of a Llama-family model, enough to lay out its GGUF tensors and metadata.
 *
 * @param name            what {@code pagoda synth --like} calls it, also {@code general.name}
 * @param embeddingLength {@code n_embd}
 * @param blockCount      transformer layers
 * @param headCount       query heads
 * @param headCountKv     key/value heads (grouped-query attention when fewer than {@code headCount})
 * @param feedForwardLength hidden width of the SwiGLU feed-forward
 * @param vocabSize       tokens, rows of {@code token_embd.weight}
 * @param contextLength   training context
 * @param ropeTheta       rope frequency base
 * @param ropeScaling     Llama 3.1 rope scaling, written as {@code rope_freqs.weight}; null when none
 * @param tiedEmbeddings  true when the output projection reuses {@code token_embd.weight} (no {@code output.weight})
 * @param specialTokens   how many ids at the top of the vocabulary are control tokens (256 in Llama 3)
 */
public record ModelShape(String name, int embeddingLength, int blockCount, int headCount, int headCountKv,
        int feedForwardLength, int vocabSize, int contextLength, double ropeTheta, Llama3RopeScaling ropeScaling,
        boolean tiedEmbeddings, int specialTokens) {

    /** The most layers a shape may have: llama.cpp's LLAMA_MAX_LAYERS, so every file written here also loads there. */
    public static final int MAX_BLOCKS = 512;

    /** Llama 3.1 70B: 80 layers of 8192, GQA 64/8, FFN 28672, separate output. */
    public static final ModelShape LLAMA_3_1_70B = new ModelShape("llama-3.1-70b", 8192, 80, 64, 8, 28672, 128256,
            131072, 500000, new Llama3RopeScaling(8, 1, 4, 8192), false, 256);
    /** Llama 3.1 8B: 32 layers of 4096, GQA 32/8, FFN 14336, separate output. */
    public static final ModelShape LLAMA_3_1_8B = new ModelShape("llama-3.1-8b", 4096, 32, 32, 8, 14336, 128256,
            131072, 500000, new Llama3RopeScaling(8, 1, 4, 8192), false, 256);
    /** Llama 3.2 1B: 16 layers of 2048, GQA 32/8, FFN 8192, tied embeddings, rope factor 32. */
    public static final ModelShape LLAMA_3_2_1B = new ModelShape("llama-3.2-1b", 2048, 16, 32, 8, 8192, 128256,
            131072, 500000, new Llama3RopeScaling(32, 1, 4, 8192), false, 256).withTiedEmbeddings();
    /**
     * A Llama 3.1-style model small enough to run instantly on the CPU: 4 layers of 256, GQA 8/4
     * (head dim 32), FFN 768 (a multiple of 256, so every K-quant applies without fallback),
     * 2048 tokens of which the top 16 are control tokens.
     */
    public static final ModelShape TINY = new ModelShape("tiny", 256, 4, 8, 4, 768, 2048, 4096, 500000,
            new Llama3RopeScaling(8, 1, 4, 8192), false, 16);

    /** Every preset, in the order the command line lists them. */
    public static final List<ModelShape> PRESETS = List.of(LLAMA_3_1_70B, LLAMA_3_1_8B, LLAMA_3_2_1B, TINY);

    public ModelShape {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("model shape needs a name");
        }
        if (embeddingLength < 1 || blockCount < 1 || headCount < 1 || headCountKv < 1 || feedForwardLength < 1
                || contextLength < 1) {
            throw new IllegalArgumentException(name + ": every dimension must be positive");
        }
        if (blockCount > MAX_BLOCKS) {
            throw new IllegalArgumentException(name + ": " + blockCount + " layers; at most " + MAX_BLOCKS
                    + " (llama.cpp's LLAMA_MAX_LAYERS)");
        }
        if (headCount % headCountKv != 0 || embeddingLength % headCount != 0) {
            throw new IllegalArgumentException(name + ": " + headCount + " heads over " + headCountKv
                    + " kv heads and an embedding of " + embeddingLength + " do not divide evenly");
        }
        if ((embeddingLength / headCount) % 2 != 0) {
            throw new IllegalArgumentException(name + ": head dimension " + embeddingLength / headCount + " is odd");
        }
        if (specialTokens < 11 || vocabSize < 256 + specialTokens + 1) {
            throw new IllegalArgumentException(name + ": a vocabulary of " + vocabSize + " with " + specialTokens
                    + " special tokens leaves no room for the 256 byte tokens and merges (need >= 11 specials)");
        }
        if (!(ropeTheta > 0)) {
            throw new IllegalArgumentException(name + ": rope theta must be positive, got " + ropeTheta);
        }
    }

    /** The preset called {@code name} (case-insensitive), if any. */
    public static Optional<ModelShape> preset(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return PRESETS.stream().filter(s -> s.name.equals(wanted)).findFirst();
    }

    /** The same shape with {@code blocks} layers (for quick tests of big shapes). */
    public ModelShape withBlockCount(int blocks) {
        return new ModelShape(name, embeddingLength, blocks, headCount, headCountKv, feedForwardLength, vocabSize,
                contextLength, ropeTheta, ropeScaling, tiedEmbeddings, specialTokens);
    }

    private ModelShape withTiedEmbeddings() {
        return new ModelShape(name, embeddingLength, blockCount, headCount, headCountKv, feedForwardLength, vocabSize,
                contextLength, ropeTheta, ropeScaling, true, specialTokens);
    }

    /** Values per attention head (also the rope dimension). */
    public int headDimension() {
        return embeddingLength / headCount;
    }

    /** Query heads per key/value head ({@code n_gqa} in llama.cpp). */
    public int groupSize() {
        return headCount / headCountKv;
    }

    /** Width of the key and value projections. */
    public int kvWidth() {
        return headDimension() * headCountKv;
    }

    /** Ids below this are ordinary tokens (bytes and merges); the rest are control tokens. */
    public int firstSpecialId() {
        return vocabSize - specialTokens;
    }

    /**
     * Whether llama.cpp classes this model as its 70B size ({@code LLM_TYPE_70B}: 80 layers with
     * grouped-query attention), which changes the Q4_K_M mix of {@code attn_v}.
     */
    public boolean isLlama70BClass() {
        return blockCount == 80 && headCount != headCountKv;
    }
}
