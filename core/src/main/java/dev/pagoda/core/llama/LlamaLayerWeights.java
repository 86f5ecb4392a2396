package dev.pagoda.core.llama;

import dev.pagoda.core.backend.WeightTensor;

/**
 * One transformer block's weights, named after their GGUF tensors {@code blk.N.*}. Matrices stay
 * in the model file; the two norm vectors (a few KB) are read into float arrays.
 *
 * @param attnNorm   blk.N.attn_norm.weight   (n_embd)
 * @param attnQ      blk.N.attn_q.weight      (n_head·head_k, n_embd)
 * @param attnK      blk.N.attn_k.weight      (n_head_kv·head_k, n_embd)
 * @param attnV      blk.N.attn_v.weight      (n_head_kv·head_v, n_embd)
 * @param attnOutput blk.N.attn_output.weight (n_embd, n_head·head_v)
 * @param ffnNorm    blk.N.ffn_norm.weight    (n_embd)
 * @param ffnGate    blk.N.ffn_gate.weight    (n_ff, n_embd)
 * @param ffnUp      blk.N.ffn_up.weight      (n_ff, n_embd)
 * @param ffnDown    blk.N.ffn_down.weight    (n_embd, n_ff)
 */
public record LlamaLayerWeights(
        float[] attnNorm,
        WeightTensor attnQ,
        WeightTensor attnK,
        WeightTensor attnV,
        WeightTensor attnOutput,
        float[] ffnNorm,
        WeightTensor ffnGate,
        WeightTensor ffnUp,
        WeightTensor ffnDown) {

    /** Bytes of the matrices, i.e. what one token's pass through this block reads. */
    public long matrixBytes() {
        return attnQ.byteSize() + attnK.byteSize() + attnV.byteSize() + attnOutput.byteSize()
                + ffnGate.byteSize() + ffnUp.byteSize() + ffnDown.byteSize();
    }
}
