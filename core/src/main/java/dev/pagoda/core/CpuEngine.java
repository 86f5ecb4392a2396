package dev.pagoda.core;

import dev.pagoda.core.backend.Engine;
import dev.pagoda.core.backend.ForwardPass;
import dev.pagoda.core.backend.KvCache;
import dev.pagoda.core.cpu.CpuBackend;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaForward;
import dev.pagoda.core.llama.LlamaGraph;

/** The CPU engine: {@link LlamaGraph} on a {@link CpuBackend}, one host {@link KvCache} per session. */
final class CpuEngine implements Engine {
    private final LlamaGraph graph;
    private final CpuBackend backend;
    private final KvCacheType kvCacheType;

    CpuEngine(LlamaGraph graph, CpuBackend backend, KvCacheType kvCacheType) {
        this.graph = graph;
        this.backend = backend;
        this.kvCacheType = kvCacheType;
    }

    @Override
    public String name() {
        return backend.name();
    }

    @Override
    public ForwardPass newForwardPass(int contextLength, int maxBatch) {
        LlamaConfig c = graph.config();
        KvCache cache = new KvCache(c.blockCount(), contextLength, c.keyWidth(), c.valueWidth(), kvCacheType);
        return new CpuForwardPass(new LlamaForward(graph, maxBatch), cache, c.vocabSize());
    }

    @Override
    public void close() {
        backend.close();
    }

    /** A session's {@link LlamaForward} and host KV cache. */
    private static final class CpuForwardPass implements ForwardPass {
        private final LlamaForward forward;
        private final KvCache cache;
        private final float[] logits;

        CpuForwardPass(LlamaForward forward, KvCache cache, int vocab) {
            this.forward = forward;
            this.cache = cache;
            this.logits = new float[vocab];
        }

        @Override
        public int maxBatch() {
            return forward.maxBatch();
        }

        @Override
        public void forward(int[] tokens, int from, int count, int startPos, float[] out, boolean allRows) {
            forward.forward(cache, tokens, from, count, startPos, out, allRows);
        }

        @Override
        public int forwardArgmax(int[] tokens, int from, int count, int startPos) {
            forward.forward(cache, tokens, from, count, startPos, logits, false);
            int best = 0;
            float bestLogit = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < logits.length; i++) {
                if (logits[i] > bestLogit) {
                    bestLogit = logits[i];
                    best = i;
                }
            }
            return best;
        }

        @Override
        public void close() {
            // host arrays only: the garbage collector frees them
        }
    }
}
