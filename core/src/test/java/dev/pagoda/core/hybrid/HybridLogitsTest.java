package dev.pagoda.core.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.backend.KvCache;
import dev.pagoda.core.cpu.CpuBackend;
import dev.pagoda.core.llama.LayerAccess;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaForward;
import dev.pagoda.core.llama.LlamaGraph;
import dev.pagoda.core.llama.LlamaLoader;
import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.core.tier.ContextMemory;
import dev.pagoda.core.tier.CpuTiering;
import dev.pagoda.core.tier.LayerFootprint;
import dev.pagoda.core.tier.LayerStreamer;
import dev.pagoda.core.tier.Tier;
import dev.pagoda.core.tier.TierPlan;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The CPU proof of hybrid decode: the CPU backend stands in for the device (a {@link CpuBackend}
 * over the streamer's slots) and for the host (the same row kernels over the mapped file). With
 * every layer streamed and half of each matrix's rows on the host, decode logits equal the
 * streamed device-only run and greedy continuations are the same; with everything resident the
 * hybrid computes nothing on the host.
 */
class HybridLogitsTest {
    private static final int CONTEXT = 64;
    private static final int PROMPT = 12;
    private static final int DECODE = 8;

    /** A streamed model run with or without the hybrid share. */
    private record Run(float[][] decoded, int[] greedy, long hostBytes, TierPlan plan) {}

    private static long minimumDeviceBudget(dev.pagoda.gguf.GgufFile file, LlamaConfig c) {
        LayerFootprint f = LayerFootprint.of(file.tensors());
        long largest = f.layers().stream().mapToLong(LayerFootprint.Layer::deviceBytes).max().orElseThrow();
        return f.nonLayerDeviceBytes() + ContextMemory.estimate(c, CONTEXT, PROMPT, KvCacheType.F32).totalBytes()
                + 2 * largest;
    }

    private static Run run(Path path, boolean everythingResident, SplitController controller) throws Exception {
        try (dev.pagoda.gguf.GgufFile file = dev.pagoda.gguf.GgufFile.open(path);
                CpuBackend cpu = new CpuBackend(2)) {
            LlamaLoader.Loaded loaded = LlamaLoader.load(file);
            LlamaConfig c = loaded.config();
            long budget = everythingResident ? -1 : minimumDeviceBudget(file, c);
            try (LayerStreamer streamer = CpuTiering.open(file, c, loaded.weights(), CONTEXT, PROMPT, KvCacheType.F32,
                    budget, -1)) {
                LlamaGraph graph;
                if (controller == null) {
                    graph = new LlamaGraph(c, streamer.weights(), cpu, streamer);
                } else {
                    HybridDecode hybrid = HybridDecode.start(streamer, loaded.weights(), cpu, 2, controller);
                    graph = new LlamaGraph(c, streamer.weights(), hybrid.backend(), hybrid);
                }
                int[] tokens = new SplittableRandom(7).ints(PROMPT + DECODE, 0, c.vocabSize()).toArray();
                // teacher-forced decode after a prompt batch
                LlamaForward forward = new LlamaForward(graph, PROMPT);
                KvCache cache = new KvCache(c.blockCount(), CONTEXT, c.keyWidth(), c.valueWidth(), KvCacheType.F32);
                float[] logits = new float[c.vocabSize()];
                forward.forward(cache, tokens, 0, PROMPT, 0, logits, false);
                float[][] decoded = new float[DECODE][];
                for (int i = 0; i < DECODE; i++) {
                    forward.forward(cache, tokens, PROMPT + i, 1, PROMPT + i, logits, false);
                    decoded[i] = logits.clone();
                }
                // greedy continuation of the prompt
                cache = new KvCache(c.blockCount(), CONTEXT, c.keyWidth(), c.valueWidth(), KvCacheType.F32);
                forward.forward(cache, tokens, 0, PROMPT, 0, logits, false);
                int[] greedy = new int[DECODE];
                int[] one = new int[1];
                for (int i = 0; i < DECODE; i++) {
                    one[0] = greedy[i] = argmax(logits);
                    forward.forward(cache, one, 0, 1, PROMPT + i, logits, false);
                }
                return new Run(decoded, greedy, controller == null ? 0 : controller.hostBytesTotal(), streamer.plan());
            }
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "synth-A-Q4_K_M.gguf"})
    void halfTheRowsOnTheHostGiveTheDeviceOnlyLogits(String name) throws Exception {
        Path path = ReferenceData.file("models/" + name);
        Run deviceOnly = run(path, false, null);
        assertThat(deviceOnly.plan().layerCount(Tier.A)).as("every layer streamed").isZero();
        Run hybrid = run(path, false, SplitController.fixed(0.5, HybridSplit.DEFAULT_ROW_QUANTUM));
        assertThat(hybrid.hostBytes()).as("the host computed part of the streamed matrices").isPositive();
        for (int t = 0; t < DECODE; t++) {
            float scale = 0;
            float worst = 0;
            for (int i = 0; i < deviceOnly.decoded()[t].length; i++) {
                scale = Math.max(scale, Math.abs(deviceOnly.decoded()[t][i]));
                worst = Math.max(worst, Math.abs(hybrid.decoded()[t][i] - deviceOnly.decoded()[t][i]));
            }
            assertThat(worst).as("token %d: max |Δlogit|", t).isLessThanOrEqualTo(1e-4f * scale);
        }
        assertThat(hybrid.greedy()).isEqualTo(deviceOnly.greedy());
    }

    @Test
    void everythingOnTheHostStillGivesTheSameGreedyTokens() throws Exception {
        Path path = ReferenceData.file("models/stories260K.gguf");
        Run deviceOnly = run(path, false, null);
        Run hostOnly = run(path, false, SplitController.fixed(0, HybridSplit.DEFAULT_ROW_QUANTUM));
        assertThat(hostOnly.hostBytes()).isPositive();
        assertThat(hostOnly.greedy()).isEqualTo(deviceOnly.greedy());
    }

    @Test
    void withEverythingResidentTheHybridDoesNothing() throws Exception {
        Path path = ReferenceData.file("models/stories260K.gguf");
        Run hybrid = run(path, true, SplitController.fixed(0.5, HybridSplit.DEFAULT_ROW_QUANTUM));
        assertThat(hybrid.plan().streams()).isFalse();
        assertThat(hybrid.hostBytes()).isZero();
    }
}
