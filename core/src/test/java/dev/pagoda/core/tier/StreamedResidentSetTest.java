package dev.pagoda.core.tier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.Backend;
import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaLoader;
import dev.pagoda.core.synth.FileType;
import dev.pagoda.core.synth.Llama3RopeScaling;
import dev.pagoda.core.synth.ModelShape;
import dev.pagoda.core.synth.ModelSynthesizer;
import dev.pagoda.core.synth.SynthOptions;
import dev.pagoda.core.synth.WeightMode;
import dev.pagoda.gguf.GgufFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A budgeted, streamed run keeps the model file's mapping out of the process's resident set: the
 * pages loading reads to fill device memory (tier A, non-layer tensors) and pinned memory (tier B)
 * are given back, and tier C is read with O_DIRECT (or pread + fadvise), never through the mapping.
 * Without that, RssFile grows by every tier A and B byte. The model is synthesized here: 5 blocks of
 * about 12 MB of Q8_0, large enough that a leak of even one block stands out of the JVM's own noise.
 */
class StreamedResidentSetTest {
    private static final int CONTEXT = 32;
    private static final int BATCH = 8;
    private static final ModelShape SHAPE = new ModelShape("rss-test", 1024, 5, 8, 4, 2816, 2048, 4096, 500000,
            new Llama3RopeScaling(8, 1, 4, 8192), false, 16);

    @Test
    void budgetedRunLeavesTheModelMappingOutOfTheResidentSet(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(ProcessMemory.read().isPresent()
                        && ProcessMemory.mappedResidentBytes(Path.of("/proc/self/exe")).isPresent(),
                "no /proc/self/status or /proc/self/smaps here (not Linux): the resident set cannot be read,"
                        + " so the RSS bound of a streamed run is not checked");
        Path file = dir.resolve("rss-q8_0.gguf");
        ModelSynthesizer.write(new SynthOptions(SHAPE, FileType.Q8_0, 5, WeightMode.FAST, 2), file);

        long largest;
        long staging;
        long deviceMinimum;
        long layerBytes;
        try (GgufFile gguf = GgufFile.open(file)) {
            LlamaConfig c = LlamaLoader.config(gguf);
            LayerFootprint f = LayerFootprint.of(gguf.tensors());
            largest = f.layers().stream().mapToLong(LayerFootprint.Layer::deviceBytes).max().orElseThrow();
            staging = f.layers().stream()
                    .mapToLong(l -> LayerLayout.stagingBytes(l.tensors(), TierPlanner.DEFAULT_STORAGE_BLOCK))
                    .max().orElseThrow();
            deviceMinimum = f.nonLayerDeviceBytes() + ContextMemory.estimate(c, CONTEXT, BATCH, KvCacheType.F32)
                    .totalBytes() + 2 * largest;
            layerBytes = f.layerBytes();
        }

        long rssFileBefore = ProcessMemory.read().orElseThrow().rssFile();
        try (Model model = Model.builder(file).backend(Backend.CPU).contextLength(CONTEXT).batchSize(BATCH).threads(2)
                .vramBudget(Long.toString(deviceMinimum + largest))
                .ramBudget(Long.toString(2 * staging + largest)).open();
             Session s = model.newSession()) {
            TierPlan plan = model.tierPlan().orElseThrow();
            assertThat(plan.layerCount(Tier.A)).as("one resident block").isEqualTo(1);
            assertThat(plan.layerCount(Tier.B)).as("pinned blocks").isGreaterThanOrEqualTo(1);
            assertThat(plan.layerCount(Tier.C)).as("blocks read from storage").isGreaterThanOrEqualTo(2);
            assertThat(plan.bandwidths().storage()).as("storage rate measured at open, not assumed")
                    .isNotEqualTo(Bandwidths.ASSUMED_STORAGE);

            int next = s.feedArgmax(new int[] {300, 301});
            for (int i = 0; i < 1; i++) {
                next = s.feedArgmax(next);
            }
            assertThat(model.tierStats().tierCBytes()).as("tier C was read every pass").isPositive();

            long touched = plan.layerBytes(Tier.A) + plan.layerBytes(Tier.B);
            long mapped = ProcessMemory.mappedResidentBytes(file).orElseThrow();
            // header, metadata and tensor table stay (a few hundred kB); a single block is ~12 MB
            assertThat(mapped).as("resident bytes of the model file's mapping after open and 2 passes (tier A + B: %d"
                    + " bytes were copied out of it)", touched).isLessThan(largest / 4);
            long grown = ProcessMemory.read().orElseThrow().rssFile() - rssFileBefore;
            // the JVM maps a few MB more of its own files (classes loaded on the way); the leak would be ≥ touched
            assertThat(grown).as("RssFile growth over open and run; %d bytes of layers in the file", layerBytes)
                    .isLessThan(touched / 2);
        }
    }
}
