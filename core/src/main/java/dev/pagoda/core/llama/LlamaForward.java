package dev.pagoda.core.llama;

import dev.pagoda.core.backend.KvCache;

/** One session's forward pass: the shared {@link LlamaGraph} plus this session's scratch buffers. Single-threaded. */
public final class LlamaForward {
    private final LlamaGraph graph;
    private final LlamaActivations activations;

    public LlamaForward(LlamaGraph graph, int maxBatch) {
        this.graph = graph;
        this.activations = graph.newActivations(maxBatch);
    }

    public LlamaConfig config() {
        return graph.config();
    }

    /** Most tokens one {@link #forward} call takes. */
    public int maxBatch() {
        return activations.maxBatch;
    }

    /** See {@link LlamaGraph}: runs tokens[from..from+count) at positions startPos.. and writes logits. */
    public void forward(KvCache cache, int[] tokens, int from, int count, int startPos, float[] logits, boolean allRows) {
        if (count < 1 || count > activations.maxBatch) {
            throw new IllegalArgumentException("batch of " + count + " tokens; 1.." + activations.maxBatch + " allowed");
        }
        graph.forward(activations, cache, tokens, from, count, startPos, logits, allRows);
    }
}
