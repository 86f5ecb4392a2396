package dev.pagoda.core.cuda;

import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.kernels.AttentionDecodeStep;
import dev.pagoda.cuda.kernels.FusedMatVec;
import dev.pagoda.cuda.kernels.NormedX;
import dev.pagoda.cuda.kernels.SwiGlu;
import dev.pagoda.cuda.kernels.TokenCache;
import dev.pagoda.cuda.kernels.WeightType;
import java.util.ArrayList;
import java.util.List;

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
 * token uses the matrix-vector kernels; a batch uses the tensor-core matmul.
 *
 * <p>One token through a {@link #fusable} layer takes the fused path: 8 launches plus attention's
 * instead of 16 (add + rmsnorm as one, q/k/v as one matvec launch when they share a format, rope of q
 * and k with the f16 store of k and v as one, gate/up as one); the down projection's residual add is
 * left pending and done by the next layer's (or the head's) add + rmsnorm. The same float operations as
 * the unfused steps except the matvec k-split.
 * Immutable and thread-safe.
 */
final class CudaLlamaGraph {
    private final LlamaConfig config;
    private final CudaKernels kernels;
    private final ResidentWeights weights;
    private final LayerWeightSource layers;
    private final float attentionScale;
    private final boolean fuseDecode;
    private final boolean attentionStep;
    private final boolean swiGluRecords;
    private final boolean normRecords;

    CudaLlamaGraph(LlamaConfig config, CudaKernels kernels, ResidentWeights weights, LayerWeightSource layers) {
        this(config, kernels, weights, layers, true);
    }

    /** {@code fuseDecode} false keeps every one-token step on the unfused kernels (for comparing the two). */
    CudaLlamaGraph(LlamaConfig config, CudaKernels kernels, ResidentWeights weights, LayerWeightSource layers,
            boolean fuseDecode) {
        this.config = config;
        this.kernels = kernels;
        this.weights = weights;
        this.layers = layers;
        this.attentionScale = (float) (1.0 / Math.sqrt(config.keyLength()));
        this.fuseDecode = fuseDecode;
        this.attentionStep = AttentionDecodeStep.enabled();
        this.swiGluRecords = !"false".equals(System.getProperty(SwiGlu.RECORDS_PROPERTY));
        this.normRecords = !"false".equals(System.getProperty(FusedMatVec.NORM_RECORDS_PROPERTY));
    }

    LlamaConfig config() {
        return config;
    }

    LayerWeightSource layers() {
        return layers;
    }

    CudaKernels kernels() {
        return kernels;
    }

    /**
     * Runs the a.tokens / a.positions already on the device (count of them, starting at position
     * a.positions[0]; every sequence ends at or before {@code maxEnd}). Logits: all rows into
     * {@code allRowLogits} when it is given, else the last row into a.logits.
     */
    void forward(CudaActivations a, DeviceKvCache cache, int count, int maxEnd, DeviceBuffer allRowLogits,
            CudaStream s) {
        layers.beginPass(count);
        embed(a, count, s);
        boolean pendingResidual = false;  // a.xb holds a down projection not yet added to a.x
        for (int l = 0; l < config.blockCount(); l++) {
            if (count == 1 && fusable(l)) {
                QkvLaunch qkv = fusedAttentionInputs(a, cache, l, pendingResidual, s);
                fusedAttend(a, cache, l, maxEnd, qkv.stored(), s);
                fusedAttentionOutputAndFeedForward(a, l, qkv.normed(), s);
                pendingResidual = true;
            } else {
                if (pendingResidual) {
                    kernels.add.launch(a.x, a.xb, a.x, config.embeddingLength(), s);
                    pendingResidual = false;
                }
                attentionInputs(a, l, count, s);
                attend(a, cache, l, count, maxEnd, s);
                attentionOutputAndFeedForward(a, l, count, s);
            }
        }
        head(a, count, allRowLogits, pendingResidual, s);
    }

    /**
     * Whether one token may run layer {@code layer} through the fused launches: every matrix of the
     * layer must be a whole {@link DeviceTensor} that one kernel reads from the device (a layer whose
     * products are split with another device or the CPU must return false here and take the unfused
     * steps, which stay available for every layer).
     */
    boolean fusable(int layer) {
        return fuseDecode && !layers.sharesRows(layer);
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
        roundInput(a, a.xb, count, c.embeddingLength(), s);
        matmul(a, w.attnQ(), a.xb, count, a.q, s);
        matmul(a, w.attnK(), a.xb, count, a.k, s);
        matmul(a, w.attnV(), a.xb, count, a.v, s);
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
        roundInput(a, a.attn, count, w.attnOutput().cols(), s);
        matmul(a, w.attnOutput(), a.attn, count, a.xb, s);
        kernels.add.launch(a.x, a.xb, a.x, dim, s);

        // feed-forward: rmsnorm, SwiGLU, down projection + residual
        kernels.rmsNorm.launch(a.x, w.ffnNorm(), a.xb, count, c.embeddingLength(), c.rmsNormEps(), s);
        roundInput(a, a.xb, count, c.embeddingLength(), s);
        matmul(a, w.ffnGate(), a.xb, count, a.hb, s);
        matmul(a, w.ffnUp(), a.xb, count, a.hb2, s);
        kernels.swiGlu.launch(a.hb, a.hb2, a.hb, (long) count * c.feedForwardLength(), s);
        roundInput(a, a.hb, count, c.feedForwardLength(), s);
        matmul(a, w.ffnDown(), a.hb, count, a.xb, s);
        kernels.add.launch(a.x, a.xb, a.x, dim, s);
        layers.release(layer, s);
    }

    /**
     * What one token's q/k/v launch did besides its products: {@code stored}, rotated q and k and stored k and v into
     * the cache (FusedMatVec.launchQkvCache); {@code normed}, computed the attention norm as it staged x, the residual
     * then in a.xMid, and gate/up are to norm theirs the same way (FusedMatVec.launchNormed).
     */
    record QkvLaunch(boolean stored, boolean normed) {
    }

    // one token, fused: attention rmsnorm (with the previous layer's pending residual add), q/k/v projections
    QkvLaunch fusedAttentionInputs(CudaActivations a, DeviceKvCache cache, int layer, boolean pendingResidual,
                                   CudaStream s) {
        CudaLayerWeights w = layers.acquire(layer, s);
        LlamaConfig c = config;
        FusedMatVec f = kernels.fusedMatVec;
        List<Projection> qkv = List.of(new Projection(w.attnQ(), a.q), new Projection(w.attnK(), a.k),
                new Projection(w.attnV(), a.v));
        FusedMatVec.Part q = part(qkv.get(0)), k = part(qkv.get(1)), v = part(qkv.get(2));
        WeightType qType = w.attnQ().type(), vType = w.attnV().type();
        int cols = c.embeddingLength();
        boolean sameShape = w.attnK().type() == qType && w.attnQ().cols() == cols && w.attnK().cols() == cols
                && w.attnV().cols() == cols;
        // the norm goes into the ring launches only where both q/k/v and gate/up take it (the residual then lives
        // in a.xMid between them)
        NormedX normed = sameShape && normedFeedForward(w) ? new NormedX(a.x, pendingResidual ? a.xb : null,
                w.attnNorm(), c.rmsNormEps(), a.xMid, normRecords ? a.xRecords : null) : null;
        boolean cacheStore = !attentionStep && sameShape;
        TokenCache tokenCache = new TokenCache(cache.keys(layer), cache.values(layer), a.positions, weights.ropeFreqs(),
                c.keyLength(), c.ropeFreqBase(), cache.contextLength());
        if (normed != null && cacheStore && f.coversQkvCache(cols, c.keyLength(), true, qType, q, k, vType, v)) {
            f.launchQkvCacheNormed(cols, normed, q, k, vType, v, tokenCache, s);
            return new QkvLaunch(true, true);
        }
        if (normed != null && qType == vType && f.coversNormed(qType, cols, 0)) {
            f.launchNormed(qType, cols, normed, List.of(q, k, v), s);
            return new QkvLaunch(false, true);
        }
        if (normed != null && qType == WeightType.Q4_K && vType == WeightType.Q6_K && f.coversNormed(qType, cols, 0)
                && f.coversNormed(vType, cols, 0)) {
            f.launchQ4kThenQ6kNormed(cols, normed, List.of(q, k), v, s);
            return new QkvLaunch(false, true);
        }
        norm(a, w.attnNorm(), pendingResidual, s);
        if (cacheStore && f.coversQkvCache(cols, c.keyLength(), false, qType, q, k, vType, v)) {
            f.launchQkvCache(cols, a.xb, q, k, vType, v, tokenCache, s);
            return new QkvLaunch(true, false);
        }
        fusedMatVec(a.xb, qkv, s);
        return new QkvLaunch(false, false);
    }

    // whether gate and up take their norm in their launch (FusedMatVec.coversNormed)
    private boolean normedFeedForward(CudaLayerWeights w) {
        int cols = config.embeddingLength();
        DeviceTensor gate = w.ffnGate(), up = w.ffnUp();
        return gate.type() == up.type() && gate.cols() == cols && up.cols() == cols
                && kernels.fusedMatVec.coversNormed(gate.type(), cols, 0);
    }

    // one token, fused: rotary embedding of q and k, k and v into the cache (unless the q/k/v launch `stored` them),
    // causal GQA attention
    void fusedAttend(CudaActivations a, DeviceKvCache cache, int layer, int maxEnd, boolean stored, CudaStream s) {
        LlamaConfig c = config;
        if (!stored && attentionStep && AttentionDecodeStep.fits(c.headCount(), c.headCountKv(), c.keyLength(), c.valueWidth(),
                a.q, a.k, a.v, a.attn, cache.keys(layer), cache.values(layer))) {
            // the three launches below in one (decode round 27, -Dpagoda.cuda.attentionStep=true)
            kernels.attentionStep.launch(a.q, a.k, a.v, cache.keys(layer), cache.values(layer), a.positions,
                    weights.ropeFreqs(), a.workspace, a.arrivals, a.attn, c.headCount(), c.headCountKv(),
                    c.keyLength(), c.ropeFreqBase(), cache.contextLength(), maxEnd, attentionScale, s);
            return;
        }
        if (!stored) {
            kernels.ropeKvStore.launch(a.q, a.k, a.v, cache.keys(layer), cache.values(layer), a.positions,
                    weights.ropeFreqs(), 1, c.headCount(), c.headCountKv(), c.keyLength(), c.valueWidth(),
                    c.ropeFreqBase(), cache.contextLength(), s);
        }
        kernels.attention.launch(a.q, cache.keys(layer), cache.values(layer), a.workspace, a.attn, 1,
                c.headCount(), c.headCountKv(), c.keyLength(), a.positions, maxEnd, attentionScale, s);
    }

    // one token, fused: output projection, residual add + ffn rmsnorm (in gate/up's launch when `normed`: the
    // residual from a.xMid back into a.x), gate/up, SwiGLU + down (its residual add left pending)
    void fusedAttentionOutputAndFeedForward(CudaActivations a, int layer, boolean normed, CudaStream s) {
        CudaLayerWeights w = layers.acquire(layer, s);
        matmul(w.attnOutput(), a.attn, 1, a.xb, s);
        if (normed) {
            kernels.fusedMatVec.launchNormed(w.ffnGate().type(), config.embeddingLength(),
                    new NormedX(a.xMid, a.xb, w.ffnNorm(), config.rmsNormEps(), a.x, normRecords ? a.xRecords : null),
                    List.of(part(new Projection(w.ffnGate(), a.hb)), part(new Projection(w.ffnUp(), a.hb2))), s);
        } else {
            norm(a, w.ffnNorm(), true, s);
            fusedMatVec(a.xb, List.of(new Projection(w.ffnGate(), a.hb), new Projection(w.ffnUp(), a.hb2)), s);
        }
        // SwiGLU as its own launch, not inside the down projection (FusedMatVec.launchSwiGlu): every block of
        // that launch read both vectors and ran the silu over all 14336 values itself, ~5.7 us per layer
        // more than the plain matvec at the 8B shape against ~1.6 us for this launch (H200,
        // MatVecShapeSweep; docs/perf/NOTES.md decode round 6).
        DeviceTensor down = w.ffnDown();
        int ff = config.feedForwardLength();
        boolean downOnRing = kernels.matVec.ringCovers(down.type(), down.cols(), 0);
        if (downOnRing && swiGluRecords) {
            // SwiGLU written as the down's integer x, which its blocks copy in one request (decode round 32)
            kernels.swiGlu.launchRecords(a.hb, a.hb2, a.hbRecords, ff, kernels.matVec.input(), s);
            kernels.matVec.launchFromRecords(down.type(), down.data(), 0, down.rows(), down.cols(), a.hbRecords, a.xb,
                    s);
        } else {
            if (downOnRing) {
                // the down projection's ring blocks launch during SwiGLU and prime their weights (decode round 25)
                kernels.swiGlu.launchBeforeRing(a.hb, a.hb2, a.hb, ff, s);
            } else {
                kernels.swiGlu.launch(a.hb, a.hb2, a.hb, ff, s);
            }
            matmul(down, a.hb, 1, a.xb, s);
        }
        layers.release(layer, s);
    }

    // a.xb = rmsnorm(a.x) * weight, after a.x += a.xb when a residual is pending (one row)
    private void norm(CudaActivations a, DeviceBuffer weight, boolean pendingResidual, CudaStream s) {
        LlamaConfig c = config;
        if (pendingResidual) {
            kernels.addRmsNorm.launch(a.x, a.xb, weight, a.xb, 1, c.embeddingLength(), c.rmsNormEps(), s);
        } else {
            kernels.rmsNorm.launch(a.x, weight, a.xb, 1, c.embeddingLength(), c.rmsNormEps(), s);
        }
    }

    /** One matrix of a fused launch and where its product goes. */
    private record Projection(DeviceTensor w, DeviceBuffer y) {
    }

    // one launch per run of consecutive projections that share a format (all of them, unless e.g. v is q6_K); a
    // lone q6_K matrix after a run of q4_K ones (a Q4_K_M layer's q, k and v) joins their launch
    private void fusedMatVec(DeviceBuffer x, List<Projection> projections, CudaStream s) {
        int from = 0;
        while (from < projections.size()) {
            DeviceTensor first = projections.get(from).w();
            List<FusedMatVec.Part> parts = new ArrayList<>();
            int to = from;
            while (to < projections.size() && parts.size() < FusedMatVec.MAX_PARTS
                    && projections.get(to).w().type() == first.type() && projections.get(to).w().cols() == first.cols()) {
                parts.add(part(projections.get(to)));
                to++;
            }
            boolean loneQ6kNext = to == projections.size() - 1 && first.type() == WeightType.Q4_K
                    && projections.get(to).w().type() == WeightType.Q6_K && projections.get(to).w().cols() == first.cols();
            if (loneQ6kNext) {
                kernels.fusedMatVec.launchQ4kThenQ6k(first.cols(), x, parts, part(projections.get(to)), s);
                to++;
            } else {
                kernels.fusedMatVec.launch(first.type(), first.cols(), x, parts, s);
            }
            from = to;
        }
    }

    private static FusedMatVec.Part part(Projection p) {
        return new FusedMatVec.Part(p.w().data(), 0, p.w().rows(), p.y());
    }

    // final rmsnorm and output projection
    void head(CudaActivations a, int count, DeviceBuffer allRowLogits, boolean pendingResidual, CudaStream s) {
        LlamaConfig c = config;
        DeviceTensor out = weights.output();
        if (pendingResidual) {
            // only the fused one-token path leaves a residual pending
            norm(a, weights.outputNorm(), true, s);
            matmul(out, a.xb, 1, allRowLogits != null ? allRowLogits : a.logits, s);
            return;
        }
        if (allRowLogits != null) {
            kernels.rmsNorm.launch(a.x, weights.outputNorm(), a.xb, count, c.embeddingLength(), c.rmsNormEps(), s);
            roundInput(a, a.xb, count, c.embeddingLength(), s);
            matmul(a, out, a.xb, count, allRowLogits, s);
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
        if (count != 1) {
            throw new IllegalStateException("one-token product called for " + count + " tokens");
        }
        if (!layers.shareProduct(w, x, y, s)) {
            kernels.matVec.launch(w.type(), w.data(), 0, w.rows(), w.cols(), x, y, s);
        }
    }

    // prefill: X rounded to f16 once (into a.xHalf) for every product that reads it; one token: nothing
    private void roundInput(CudaActivations a, DeviceBuffer x, int count, int cols, CudaStream s) {
        if (count > 1) {
            kernels.matMul.toHalf(x, count, cols, a.xHalf, s);
        }
    }

    // x's f16 copy must be the last roundInput when count > 1
    private void matmul(CudaActivations a, DeviceTensor w, DeviceBuffer x, int count, DeviceBuffer y, CudaStream s) {
        if (count == 1) {
            matmul(w, x, 1, y, s);
        } else {
            kernels.matMul.launchHalf(w.type(), w.data(), 0, w.rows(), w.cols(), a.xHalf, count, y, a.workspace, s);
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
