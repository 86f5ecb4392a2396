package dev.pagoda.core.llama;

/**
 * Where a forward pass takes each block's weights from: the seam layer streaming plugs into. A
 * pass over a batch of tokens acquires blocks 0..n-1 in order, releasing each before acquiring the
 * next, so a streaming implementation can fill later blocks' memory while earlier ones compute
 * and reuse a block's memory once it is released. One pass per forward call: a prompt batch reads
 * each block once, however many tokens it holds.
 */
public interface LayerAccess {

    /** Begins a pass over every block for a batch of {@code tokens} tokens. */
    Pass begin(int tokens);

    /** One pass: acquire(0), release(0), acquire(1), … in order, then close. */
    interface Pass extends AutoCloseable {
        /** Block {@code layer}'s weights, valid until {@link #release}. */
        LlamaLayerWeights acquire(int layer);

        /** The pass no longer needs block {@code layer}'s weights. */
        void release(int layer);

        /** Ends the pass (also after a failure part-way through). */
        @Override
        void close();
    }

    /** Every block resident in {@code weights}: acquire is a list lookup, release does nothing. */
    static LayerAccess resident(LlamaWeights weights) {
        Pass pass = new Pass() {
            @Override
            public LlamaLayerWeights acquire(int layer) {
                return weights.layers().get(layer);
            }

            @Override
            public void release(int layer) {
            }

            @Override
            public void close() {
            }
        };
        return tokens -> pass;
    }
}
