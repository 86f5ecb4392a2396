package dev.pagoda.core.cuda;

import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;

/**
 * The {@code llama} forward pass on the device, step for step the sibling of {@code LlamaGraph}
 * (same steps, same step comments): token embedding, then per block RMSNorm → Q/K/V → RoPE (NORM
 * mode) → causal GQA attention over the f16 cache → output projection + residual → RMSNorm →
 * SwiGLU FFN + residual, then the final RMSNorm and the output projection. Every step is queued on
 * the session's stream; nothing waits for the device here.
 *
 * <p>No launch takes the position by value: token ids, positions and the cache's start row are read
 * from a.tokens / a.positions on the device, and attention's grid depends only on {@code maxEnd}, so
 * {@link CudaForwardPass} captures the whole one-token step (argmax included) as one CUDA graph. One
 * token uses the matrix-vector kernels; a batch uses the tensor-core matmul. Immutable and
 * thread-safe.
 */
final class CudaLlamaGraph {
    private final LlamaConfig config;
    private final CudaKernels kernels;
    private final ResidentWeights weights;
    private final LayerWeightSource layers;
    private final float attentionScale;

    CudaLlamaGraph(LlamaConfig config, CudaKernels kernels, ResidentWeights weights, LayerWeightSource layers) {
        this.config = config;
        this.kernels = kernels;
        this.weights = weights;
        this.layers = layers;
        this.attentionScale = (float) (1.0 / Math.sqrt(config.keyLength()));
    }

    LlamaConfig config() {
        return config;
    }

    LayerWeightSource layers() {
        return layers;
    }

    /**
     * Runs the a.tokens / a.positions already on the device (count of them, starting at position
     * a.positions[0]; every sequence ends at or before {@code maxEnd}). Logits: all rows into
     * {@code allRowLogits} when it is given, else the last row into a.logits.
     */
    void forward(CudaActivations a, DeviceKvCache cache, int count, int maxEnd, DeviceBuffer allRowLogits,
            CudaStream s) {
        embed(a, count, s);
        layers.passTokens(count);
        for (int l = 0; l < config.blockCount(); l++) {
            attentionInputs(a, l, count, s);
            attend(a, cache, l, count, maxEnd, s);
            attentionOutputAndFeedForward(a, l, count, s);
        }
        head(a, count, allRowLogits, s);
    }

    // token embeddings
    void embed(CudaActivations a, int count, CudaStream s) {
        DeviceTensor t = weights.tokenEmbd();
        kernels.embedding.launch(t.type(), t.data(), 0, t.rows(), t.cols(), a.tokens, count, a.x, s);
    }

    // attention: rmsnorm, q/k/v projections, rotary embedding
    void attentionInputs(CudaActivations a, int layer, int count, CudaStream s) {
        LlamaConfig c = config;
        CudaLayerWeights w = layers.acquire(layer, s);
        kernels.rmsNorm.launch(a.x, w.attnNorm(), a.xb, count, c.embeddingLength(), c.rmsNormEps(), s);
        matmul(w.attnQ(), a.xb, count, a.q, s);
        matmul(w.attnK(), a.xb, count, a.k, s);
        matmul(w.attnV(), a.xb, count, a.v, s);
        rope(a.q, a.positions, count, c.headCount(), s);
        rope(a.k, a.positions, count, c.headCountKv(), s);
    }

    // causal GQA attention: store this batch's keys and values at rows positions[0].., attend over 0..positions[b]
    void attend(CudaActivations a, DeviceKvCache cache, int layer, int count, int maxEnd, CudaStream s) {
        LlamaConfig c = config;
        int capacity = cache.contextLength();
        kernels.kvStore.launch(a.k, cache.keys(layer), count, c.keyWidth(), a.positions, capacity, s);
        kernels.kvStore.launch(a.v, cache.values(layer), count, c.valueWidth(), a.positions, capacity, s);
        kernels.attention.launch(a.q, cache.keys(layer), cache.values(layer), a.workspace, a.attn, count,
                c.headCount(), c.headCountKv(), c.keyLength(), a.positions, maxEnd, attentionScale, s);
    }

    void attentionOutputAndFeedForward(CudaActivations a, int layer, int count, CudaStream s) {
        LlamaConfig c = config;
        CudaLayerWeights w = layers.acquire(layer, s);
        long dim = (long) count * c.embeddingLength();

        // attention output projection + residual
        matmul(w.attnOutput(), a.attn, count, a.xb, s);
        kernels.add.launch(a.x, a.xb, a.x, dim, s);

        // feed-forward: rmsnorm, SwiGLU, down projection + residual
        kernels.rmsNorm.launch(a.x, w.ffnNorm(), a.xb, count, c.embeddingLength(), c.rmsNormEps(), s);
        matmul(w.ffnGate(), a.xb, count, a.hb, s);
        matmul(w.ffnUp(), a.xb, count, a.hb2, s);
        kernels.swiGlu.launch(a.hb, a.hb2, a.hb, (long) count * c.feedForwardLength(), s);
        matmul(w.ffnDown(), a.hb, count, a.xb, s);
        kernels.add.launch(a.x, a.xb, a.x, dim, s);
        layers.release(layer, s);
    }

    // final rmsnorm and output projection
    void head(CudaActivations a, int count, DeviceBuffer allRowLogits, CudaStream s) {
        LlamaConfig c = config;
        DeviceTensor out = weights.output();
        if (allRowLogits != null) {
            kernels.rmsNorm.launch(a.x, weights.outputNorm(), a.xb, count, c.embeddingLength(), c.rmsNormEps(), s);
            matmul(out, a.xb, count, allRowLogits, s);
        } else {
            DeviceBuffer lastRow = a.x;
            if (count > 1) {
                long rowBytes = 4L * c.embeddingLength();
                a.last.copyFromDeviceAsync(a.x, (count - 1) * rowBytes, 0, rowBytes, s);
                lastRow = a.last;
            }
            kernels.rmsNorm.launch(lastRow, weights.outputNorm(), a.xb, 1, c.embeddingLength(), c.rmsNormEps(), s);
            matmul(out, a.xb, 1, a.logits, s);
        }
    }

    // greedy pick: the largest logit's id, on the device
    void argmax(CudaActivations a, CudaStream s) {
        kernels.argMax.launch(a.logits, config.vocabSize(), a.argmax, s);
    }

    private void matmul(DeviceTensor w, DeviceBuffer x, int count, DeviceBuffer y, CudaStream s) {
        if (count == 1) {
            kernels.matVec.launch(w.type(), w.data(), 0, w.rows(), w.cols(), x, y, s);
        } else {
            kernels.matMul.launch(w.type(), w.data(), 0, w.rows(), w.cols(), x, count, y, s);
        }
    }

    private void rope(DeviceBuffer x, DeviceBuffer positions, int count, int heads, CudaStream s) {
        DeviceBuffer factors = weights.ropeFreqs();
        if (factors == null) {
            kernels.rope.launch(x, positions, count, heads, config.keyLength(), config.ropeFreqBase(), s);
        } else {
            kernels.rope.launch(x, positions, factors, count, heads, config.keyLength(), config.ropeFreqBase(), s);
        }
    }
}
