package dev.pagoda.core.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.core.llama.LayerAccess;
import dev.pagoda.core.llama.LlamaLayerWeights;
import dev.pagoda.core.llama.LlamaLoader;
import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.gguf.GgufFile;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streamer hands out exactly the file's bytes for every layer, pass after pass, from every tier. */
class LayerStreamerTest {

    private static TierPlan plan(GgufFile file, long deviceExtra, long host) throws Exception {
        LayerFootprint f = LayerFootprint.of(file.tensors());
        ContextMemory ctx = ContextMemory.estimate(LlamaLoader.config(file), 16, 4, KvCacheType.F32);
        long largest = f.layers().stream().mapToLong(LayerFootprint.Layer::deviceBytes).max().orElseThrow();
        long minimum = f.nonLayerDeviceBytes() + ctx.totalBytes() + 2 * largest;
        return TierPlanner.withDefaults(Bandwidths.assumed())
                .plan(f, ctx, DeviceBudget.free(minimum + deviceExtra), HostBudget.available(host));
    }

    private static void assertSameBytes(GgufFile file, WeightTensor w) {
        MemorySegment expected = file.data(file.tensor(w.name()));
        assertThat(w.data().mismatch(expected)).as(w.name()).isEqualTo(-1L);
    }

    private static void passes(LayerStreamer streamer, GgufFile file, int count) {
        for (int p = 0; p < count; p++) {
            try (LayerAccess.Pass pass = streamer.begin(1)) {
                for (int l = 0; l < streamer.plan().layerCount(); l++) {
                    LlamaLayerWeights w = pass.acquire(l);
                    for (WeightTensor t : List.of(w.attnQ(), w.attnK(), w.attnV(), w.attnOutput(), w.ffnGate(),
                            w.ffnUp(), w.ffnDown())) {
                        assertSameBytes(file, t);
                    }
                    pass.release(l);
                }
            }
        }
    }

    @Test
    void everyTierHandsOutTheFileBytes() throws Exception {
        Path model = ReferenceData.file("models/synth-A-Q4_K_M.gguf");
        try (GgufFile file = GgufFile.open(model)) {
            long staging = LayerFootprint.of(file.tensors()).layers().stream()
                    .mapToLong(l -> LayerLayout.stagingBytes(l.tensors(), 4096)).max().orElseThrow();
            long oneLayer = LayerFootprint.of(file.tensors()).layers().getFirst().bytes();
            TierPlan plan = plan(file, 0, 2 * staging + oneLayer);
            assertThat(plan.layerCount(Tier.C)).isPositive();
            try (LayerStreamer s = LayerStreamer.open(plan, new CpuDevice(plan.deviceBytesAvailable()), file,
                    LlamaLoader.load(file).weights(), p -> new DirectFileSource(p, 2))) {
                passes(s, file, 5);
                assertThat(s.stats().passes()).isEqualTo(5);
                assertThat(s.stats().tierCBytes()).isEqualTo(5 * plan.layerBytes(Tier.C));
            }
        }
    }

    @Test
    void aPassAbandonedPartWayLeavesTheRingUsable() throws Exception {
        Path model = ReferenceData.file("models/stories260K.gguf");
        try (GgufFile file = GgufFile.open(model)) {
            TierPlan plan = plan(file, 0, 1L << 30);
            try (LayerStreamer s = LayerStreamer.open(plan, new CpuDevice(plan.deviceBytesAvailable()), file,
                    LlamaLoader.load(file).weights(), p -> new MappedFileSource(p, 1))) {
                try (LayerAccess.Pass pass = s.begin(1)) {
                    pass.acquire(0);
                    pass.release(0);
                    pass.acquire(1);
                    assertThatThrownBy(() -> pass.acquire(3)).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("layer 3 acquired while blk.1 is next");
                }
                passes(s, file, 3);
            }
        }
    }
}
