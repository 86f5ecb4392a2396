package dev.pagoda.core.llama;

import dev.pagoda.core.backend.ComputeBackend;
import dev.pagoda.core.backend.KvCache;
import dev.pagoda.core.backend.WeightTensor;

/**
 * The {@code llama} architecture's forward pass, as llama.cpp's {@code llm_build_llama} builds
 * it: token embedding, then per block RMSNorm → Q/K/V → RoPE (NORM mode: adjacent pairs) →
 * causal GQA attention → output projection + residual → RMSNorm → SwiGLU FFN + residual, then
 * a final RMSNorm and the output projection. Every op runs on a {@link ComputeBackend}.
 *
 * <p>Immutable and thread-safe; per-conversation state (KV cache, scratch) is passed in.
 */
public final class LlamaGraph {
    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final ComputeBackend backend;
    private final LayerAccess layers;
    /** θ_i / position for each rotated pair: freq_scale · base^(−2i/rope_dim) / rope_freqs[i]. */
    private final double[] ropeInvFreq;

    public LlamaGraph(LlamaConfig config, LlamaWeights weights, ComputeBackend backend) {
        this(config, weights, backend, LayerAccess.resident(weights));
    }

    /** A graph whose blocks come from {@code layers} (e.g. a layer streamer) instead of {@code weights.layers()}. */
    public LlamaGraph(LlamaConfig config, LlamaWeights weights, ComputeBackend backend, LayerAccess layers) {
        this.config = config;
        this.weights = weights;
        this.backend = backend;
        this.layers = layers;
        int half = config.ropeDimensionCount() / 2;
        ropeInvFreq = new double[half];
        for (int i = 0; i < half; i++) {
            double theta = Math.pow(config.ropeFreqBase(), -2.0 * i / config.ropeDimensionCount());
            double factor = weights.ropeFreqs() == null ? 1.0 : weights.ropeFreqs()[i];
            ropeInvFreq[i] = config.ropeFreqScale() * theta / factor;
        }
    }

    public LlamaConfig config() {
        return config;
    }

    public LlamaWeights weights() {
        return weights;
    }

    public ComputeBackend backend() {
        return backend;
    }

    /** Scratch for batches of up to {@code maxBatch} tokens. */
    LlamaActivations newActivations(int maxBatch) {
        return new LlamaActivations(config, maxBatch);
    }

    /**
     * Runs tokens[from..from+count) at positions startPos.. (count ≤ a.maxBatch), appending their
     * keys and values to {@code cache}. When {@code allRows}, logits receives count × vocab values
     * (one row per token); otherwise vocab values for the last token only.
     */
    void forward(LlamaActivations a, KvCache cache, int[] tokens, int from, int count, int startPos,
            float[] logits, boolean allRows) {
        LlamaConfig c = config;
        int dim = c.embeddingLength();
        int half = c.ropeDimensionCount() / 2;
        for (int b = 0; b < count; b++) {
            int pos = startPos + b;
            for (int i = 0; i < half; i++) {
                double theta = pos * ropeInvFreq[i];
                a.cos[b * half + i] = (float) Math.cos(theta);
                a.sin[b * half + i] = (float) Math.sin(theta);
            }
        }
        float scale = (float) (1.0 / Math.sqrt(c.keyLength()));

        // token embeddings
        backend.getRows(weights.tokenEmbd(), tokens, from, count, a.x);

        try (LayerAccess.Pass pass = layers.begin(count)) {
        for (int l = 0; l < c.blockCount(); l++) {
            LlamaLayerWeights w = pass.acquire(l);

            // attention: rmsnorm, q/k/v projections, rotary embedding, causal GQA attention
            backend.rmsNorm(a.x, w.attnNorm(), c.rmsNormEps(), count, a.xb);
            backend.matmuls(new WeightTensor[] {w.attnQ(), w.attnK(), w.attnV()}, a.xb, count,
                    new float[][] {a.q, a.k, a.v});
            backend.rope(a.q, count, c.headCount(), c.keyLength(), half, a.cos, a.sin);
            backend.rope(a.k, count, c.headCountKv(), c.keyLength(), half, a.cos, a.sin);
            backend.attention(cache, l, a.q, a.k, a.v, count, startPos,
                    c.headCount(), c.headCountKv(), c.keyLength(), c.valueLength(), scale, a.attn);

            // attention output projection + residual
            backend.matmul(w.attnOutput(), a.attn, count, a.xb);
            backend.add(a.x, a.xb, count * dim);

            // feed-forward: rmsnorm, SwiGLU, down projection + residual
            backend.rmsNorm(a.x, w.ffnNorm(), c.rmsNormEps(), count, a.xb);
            backend.gatedProjection(w.ffnGate(), w.ffnUp(), a.xb, count, c.feedForwardLength(), a.hb, a.hb2);
            backend.matmul(w.ffnDown(), a.hb, count, a.xb);
            backend.add(a.x, a.xb, count * dim);
            pass.release(l);
        }
        }

        // final rmsnorm and output projection
        if (allRows) {
            backend.rmsNorm(a.x, weights.outputNorm(), c.rmsNormEps(), count, a.xb);
            backend.matmul(weights.output(), a.xb, count, logits);
        } else {
            System.arraycopy(a.x, (count - 1) * dim, a.last, 0, dim);
            backend.rmsNorm(a.last, weights.outputNorm(), c.rmsNormEps(), 1, a.last);
            backend.matmul(weights.output(), a.last, 1, logits);
        }
    }
}
