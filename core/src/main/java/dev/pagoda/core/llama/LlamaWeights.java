package dev.pagoda.core.llama;

import dev.pagoda.core.backend.WeightTensor;
import java.util.List;

/**
 * All weights of a {@code llama} model, named after their GGUF tensors.
 *
 * @param tokenEmbd  token_embd.weight  (vocab, n_embd)
 * @param outputNorm output_norm.weight (n_embd)
 * @param output     output.weight      (vocab, n_embd); token_embd.weight itself when the model ties them (Llama 3.2)
 * @param ropeFreqs  rope_freqs.weight  (rope_dim / 2): per-pair θ divisors of Llama 3.1 "llama3" rope scaling, or null
 * @param layers     blk.0 … blk.(n_layer − 1)
 */
public record LlamaWeights(
        WeightTensor tokenEmbd,
        float[] outputNorm,
        WeightTensor output,
        float[] ropeFreqs,
        List<LlamaLayerWeights> layers) {

    public LlamaWeights {
        layers = List.copyOf(layers);
    }

    /** Bytes read from the weights per decoded token: every block's matrices plus the output matrix. */
    public long bytesPerToken() {
        long sum = output.byteSize();
        for (LlamaLayerWeights l : layers) {
            sum += l.matrixBytes();
        }
        return sum;
    }
}
