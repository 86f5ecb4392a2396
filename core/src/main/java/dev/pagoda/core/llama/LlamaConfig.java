package dev.pagoda.core.llama;

/**
 * Hyper-parameters of a {@code llama} architecture model, named after their GGUF keys
 * ({@code llama.<key>}).
 *
 * @param embeddingLength    {@code embedding_length}: width of the residual stream (n_embd)
 * @param blockCount         {@code block_count}: transformer layers
 * @param feedForwardLength  {@code feed_forward_length}: hidden width of the SwiGLU FFN
 * @param headCount          {@code attention.head_count}: query heads
 * @param headCountKv        {@code attention.head_count_kv}: key/value heads (GQA; = headCount when absent)
 * @param keyLength          {@code attention.key_length}: query/key head width (default n_embd / n_head)
 * @param valueLength        {@code attention.value_length}: value head width (default n_embd / n_head)
 * @param ropeDimensionCount {@code rope.dimension_count}: leading dimensions of each head that are rotated
 * @param ropeFreqBase       {@code rope.freq_base}: θ base (default 10000)
 * @param ropeFreqScale      1 / {@code rope.scaling.factor} for linear scaling, else 1
 * @param rmsNormEps         {@code attention.layer_norm_rms_epsilon}
 * @param contextLength      {@code context_length}: the training context
 * @param vocabSize          {@code vocab_size}, or the row count of {@code token_embd.weight}
 */
public record LlamaConfig(
        int embeddingLength,
        int blockCount,
        int feedForwardLength,
        int headCount,
        int headCountKv,
        int keyLength,
        int valueLength,
        int ropeDimensionCount,
        float ropeFreqBase,
        float ropeFreqScale,
        float rmsNormEps,
        int contextLength,
        int vocabSize) {

    public LlamaConfig {
        positive("embedding_length", embeddingLength);
        positive("block_count", blockCount);
        positive("feed_forward_length", feedForwardLength);
        positive("attention.head_count", headCount);
        positive("attention.head_count_kv", headCountKv);
        positive("attention.key_length", keyLength);
        positive("attention.value_length", valueLength);
        positive("vocab_size", vocabSize);
        if (headCount % headCountKv != 0) {
            throw new IllegalArgumentException("llama.attention.head_count " + headCount
                    + " is not a multiple of llama.attention.head_count_kv " + headCountKv);
        }
        if (ropeDimensionCount <= 0 || ropeDimensionCount > keyLength || ropeDimensionCount % 2 != 0) {
            throw new IllegalArgumentException("llama.rope.dimension_count " + ropeDimensionCount
                    + " must be even and within the key head width " + keyLength);
        }
        if (!(ropeFreqBase > 0) || !(ropeFreqScale > 0) || !(rmsNormEps > 0)) {
            throw new IllegalArgumentException("rope.freq_base " + ropeFreqBase + ", rope scale " + ropeFreqScale
                    + " and layer_norm_rms_epsilon " + rmsNormEps + " must all be positive");
        }
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("llama." + key + " must be positive, got " + value);
        }
    }

    /** Query heads that share one key/value head. */
    public int groupSize() {
        return headCount / headCountKv;
    }

    /** Width of all query heads together (rows of attn_q). */
    public int queryWidth() {
        return headCount * keyLength;
    }

    /** Width of all key heads together (rows of attn_k; one K cache entry). */
    public int keyWidth() {
        return headCountKv * keyLength;
    }

    /** Width of all value heads together (rows of attn_v; one V cache entry). */
    public int valueWidth() {
        return headCountKv * valueLength;
    }
}
