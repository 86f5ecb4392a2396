package dev.pagoda.core.cuda;

import dev.pagoda.cuda.DeviceBuffer;

/**
 * One transformer block's weights on the device, named after their GGUF tensors {@code blk.N.*}.
 *
 * @param attnNorm   blk.N.attn_norm.weight   (n_embd) float32
 * @param attnQ      blk.N.attn_q.weight      (n_head·head_k, n_embd)
 * @param attnK      blk.N.attn_k.weight      (n_head_kv·head_k, n_embd)
 * @param attnV      blk.N.attn_v.weight      (n_head_kv·head_v, n_embd)
 * @param attnOutput blk.N.attn_output.weight (n_embd, n_head·head_v)
 * @param ffnNorm    blk.N.ffn_norm.weight    (n_embd) float32
 * @param ffnGate    blk.N.ffn_gate.weight    (n_ff, n_embd)
 * @param ffnUp      blk.N.ffn_up.weight      (n_ff, n_embd)
 * @param ffnDown    blk.N.ffn_down.weight    (n_embd, n_ff)
 */
public record CudaLayerWeights(
        DeviceBuffer attnNorm,
        DeviceTensor attnQ,
        DeviceTensor attnK,
        DeviceTensor attnV,
        DeviceTensor attnOutput,
        DeviceBuffer ffnNorm,
        DeviceTensor ffnGate,
        DeviceTensor ffnUp,
        DeviceTensor ffnDown) {
}
