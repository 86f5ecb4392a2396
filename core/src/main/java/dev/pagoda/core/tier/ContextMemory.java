package dev.pagoda.core.tier;

import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.llama.LlamaConfig;

/**
 * Device memory a session needs beside the weights, for a context length and batch size.
 *
 * <pre>
 * kv        = n_layer · ctx · (n_head_kv·head_k + n_head_kv·head_v) · bytes(kv type)      (4 for F32, 2 for F16)
 * workspace = 4 · batch · (2·n_embd + n_head·head_k + n_head_kv·(head_k + head_v) + n_head·head_v
 *                          + 2·n_ff + rope_dim)                                        activations
 *           + 4 · batch · n_vocab                                                        logits (every row)
 *           + 4 · batch · n_head · ctx                                                   attention scores
 * </pre>
 *
 * The activation terms are {@code LlamaActivations}' buffers; the score term is a full
 * (batch × heads × ctx) score matrix, which the CPU backend does not hold at once but a GPU
 * attention kernel may: the estimate errs on the side of reserving too much.
 *
 * @param kvBytes        bytes of the KV cache at the full context
 * @param workspaceBytes bytes of activations, logits and scores for one batch
 */
public record ContextMemory(long kvBytes, long workspaceBytes) {

    public ContextMemory {
        if (kvBytes < 0 || workspaceBytes < 0) {
            throw new IllegalArgumentException("negative context memory: kv " + kvBytes + ", workspace " + workspaceBytes);
        }
    }

    /** The estimate above for {@code contextLength} positions and batches of {@code batch} tokens. */
    public static ContextMemory estimate(LlamaConfig c, int contextLength, int batch, KvCacheType kvType) {
        if (contextLength < 1 || batch < 1) {
            throw new IllegalArgumentException("context length " + contextLength + " and batch " + batch
                    + " must be at least 1");
        }
        long kvElement = kvType == KvCacheType.F32 ? 4 : 2;
        long kv = (long) c.blockCount() * contextLength * ((long) c.keyWidth() + c.valueWidth()) * kvElement;
        long perRow = 2L * c.embeddingLength() + c.queryWidth() + c.keyWidth() + c.valueWidth()
                + (long) c.headCount() * c.valueLength() + 2L * c.feedForwardLength() + c.ropeDimensionCount();
        long workspace = 4L * batch * perRow + 4L * batch * c.vocabSize() + 4L * batch * c.headCount() * contextLength;
        return new ContextMemory(kv, workspace);
    }

    /** KV cache plus workspace. */
    public long totalBytes() {
        return kvBytes + workspaceBytes;
    }
}
