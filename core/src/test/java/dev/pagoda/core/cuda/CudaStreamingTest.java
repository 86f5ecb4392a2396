package dev.pagoda.core.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.Backend;
import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaLoader;
import dev.pagoda.core.synth.FileType;
import dev.pagoda.core.synth.ModelShape;
import dev.pagoda.core.synth.ModelSynthesizer;
import dev.pagoda.core.synth.SynthOptions;
import dev.pagoda.core.synth.WeightMode;
import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.core.tier.ContextMemory;
import dev.pagoda.core.tier.LayerFootprint;
import dev.pagoda.core.tier.LayerLayout;
import dev.pagoda.core.tier.Tier;
import dev.pagoda.core.tier.TierPlan;
import dev.pagoda.core.tier.TierPlanner;
import dev.pagoda.core.tier.TierStats;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.gguf.GgufFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layer streaming on the GPU: a model opened with a VRAM budget that keeps one block resident
 * (tier A) and a RAM budget that pins one block (tier B) and leaves the rest to storage (tier C)
 * gives logits bit for bit equal to the resident CUDA run (same kernels), for a prompt as one batch
 * (every row) and for token-by-token decoding, and its stats count each tier's bytes once per pass.
 * Needs a CUDA device: without one (CI) every test is skipped with that reason.
 */
class CudaStreamingTest {
    private static final int CONTEXT = 64;
    private static final int PROMPT = 24;
    private static final int DECODE = 6;

    @BeforeAll
    static void requireGpu() {
        Optional<Cuda> cuda = Cuda.tryOpen();
        Assumptions.assumeTrue(cuda.isPresent(),
                "no CUDA device here (driver missing or no GPU): the CUDA layer-streaming tests are skipped");
        cuda.get().close();
    }

    /** Logits of the prompt as one batch (every row), then of each decoded token. */
    private record Run(float[][] prompt, float[][] decoded, TierStats stats) {}

    private static Run run(Model model, int[] tokens) {
        TierStats before = model.tierStats();
        try (Session s = model.newSession()) {
            float[][] prompt = s.feedAll(Arrays.copyOf(tokens, PROMPT));
            float[][] decoded = new float[DECODE][];
            for (int i = 0; i < DECODE; i++) {
                decoded[i] = s.feed(tokens[PROMPT + i]);
            }
            return new Run(prompt, decoded, model.tierStats().since(before));
        }
    }

    private static Model.Builder builder(Path model) {
        // hybrid off: these runs must match the resident run bit for bit (the host sums rows in another order)
        return Model.builder(model).backend(Backend.CUDA).contextLength(CONTEXT).batchSize(PROMPT).hybrid(false);
    }

    private static void assertBitIdentical(float[][] actual, float[][] expected, String what) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int r = 0; r < expected.length; r++) {
            int[] a = new int[actual[r].length];
            int[] e = new int[expected[r].length];
            for (int i = 0; i < e.length; i++) {
                a[i] = Float.floatToRawIntBits(actual[r][i]);
                e[i] = Float.floatToRawIntBits(expected[r][i]);
            }
            assertThat(a).as("%s row %d", what, r).isEqualTo(e);
        }
    }

    /** What a budget must make the planner do. */
    enum Spread { ONE_RESIDENT_REST_PINNED, ONE_RESIDENT_REST_MOSTLY_STORAGE }


    /** Budgets computed from the sizes exactly as the planner computes them. */
    private record Budgets(long vram, long ram) {
        static Budgets of(Path model, Spread spread) throws Exception {
            try (GgufFile file = GgufFile.open(model)) {
                LlamaConfig c = LlamaLoader.config(file);
                LayerFootprint f = LayerFootprint.of(file.tensors());
                ContextMemory ctx = ContextMemory.estimate(c, CONTEXT, PROMPT, KvCacheType.F16);
                long largest = f.layers().stream().mapToLong(LayerFootprint.Layer::deviceBytes).max().orElseThrow();
                long smallestData = f.layers().stream().mapToLong(LayerFootprint.Layer::bytes).min().orElseThrow();
                long largestData = f.layers().stream().mapToLong(LayerFootprint.Layer::bytes).max().orElseThrow();
                long staging = f.layers().stream()
                        .mapToLong(l -> LayerLayout.stagingBytes(l.tensors(), TierPlanner.DEFAULT_STORAGE_BLOCK))
                        .max().orElseThrow();
                long ring = f.nonLayerDeviceBytes() + ctx.totalBytes() + 2 * largest;
                return switch (spread) {
                    case ONE_RESIDENT_REST_PINNED -> new Budgets(ring + largest, -1);
                    // a 4-block model keeps no block resident here: with one resident, the two staging
                    // buffers a storage block needs take as much RAM as the three streamed blocks
                    case ONE_RESIDENT_REST_MOSTLY_STORAGE -> f.layerCount() > 4
                            ? new Budgets(ring + largest, 2 * staging + largestData)
                            : new Budgets(ring, 2 * staging + smallestData);
                };
            }
        }
    }

    private static void streamedEqualsResident(Path path, Spread spread, boolean everyTier) throws Exception {
        Budgets budgets = Budgets.of(path, spread);
        Run resident;
        int[] tokens;
        try (Model model = builder(path).open()) {
            assertThat(model.tierPlan()).isEmpty();
            tokens = new SplittableRandom(7).ints(PROMPT + DECODE, 0, model.config().vocabSize()).toArray();
            resident = run(model, tokens);
        }
        Model.Builder b = builder(path).vramBudget(Long.toString(budgets.vram()));
        if (budgets.ram() >= 0) {
            b.ramBudget(Long.toString(budgets.ram()));
        }
        try (Model model = b.open()) {
            assertThat(model.backend()).isEqualTo(Backend.CUDA);
            TierPlan plan = model.tierPlan().orElseThrow();
            if (spread == Spread.ONE_RESIDENT_REST_PINNED || everyTier) {
                assertThat(plan.layerCount(Tier.A)).as(plan.table()).isEqualTo(1);
            }
            if (spread == Spread.ONE_RESIDENT_REST_PINNED) {
                assertThat(plan.layerCount(Tier.B)).as(plan.table()).isEqualTo(plan.layerCount() - 1);
            } else {
                assertThat(plan.layerCount(Tier.C)).as(plan.table()).isGreaterThanOrEqualTo(2);
            }
            if (everyTier) {
                assertThat(plan.layerCount(Tier.B)).as(plan.table()).isGreaterThanOrEqualTo(1);
            }
            for (int round = 0; round < 2; round++) {  // a second session starts where the ring left off
                Run streamed = run(model, tokens);
                assertBitIdentical(streamed.prompt(), resident.prompt(), "prompt");
                assertBitIdentical(streamed.decoded(), resident.decoded(), "decode");
                TierStats s = streamed.stats();
                assertThat(s.passes()).as("the prompt is one pass, each decoded token one").isEqualTo(1 + DECODE);
                assertThat(s.tierABytes()).isEqualTo(s.passes() * plan.layerBytes(Tier.A));
                assertThat(s.tierBBytes()).isEqualTo(s.passes() * plan.layerBytes(Tier.B));
                assertThat(s.tierCBytes()).isEqualTo(s.passes() * plan.layerBytes(Tier.C));
                assertThat(s.computeNanos()).isPositive();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "synth-A-Q4_K_M.gguf", "synth-A-Q8_0.gguf", "synth-A-F16.gguf"})
    void referenceModelStreamedFromPinnedMemoryGivesResidentLogits(String name) throws Exception {
        streamedEqualsResident(ReferenceData.file("models/" + name), Spread.ONE_RESIDENT_REST_PINNED, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "synth-A-Q4_K_M.gguf", "synth-A-Q8_0.gguf", "synth-A-F16.gguf"})
    void referenceModelStreamedFromStorageGivesResidentLogits(String name) throws Exception {
        streamedEqualsResident(ReferenceData.file("models/" + name), Spread.ONE_RESIDENT_REST_MOSTLY_STORAGE, false);
    }

    /** Eight tiny blocks: one resident, at least one pinned, at least two from storage, in one run. */
    @Test
    void synthesizedModelStreamedThroughEveryTierGivesResidentLogits(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tiny8-q4_k_m.gguf");
        ModelSynthesizer.write(new SynthOptions(ModelShape.TINY.withBlockCount(8), FileType.Q4_K_M, 11,
                WeightMode.EXACT, 2), file);
        streamedEqualsResident(file, Spread.ONE_RESIDENT_REST_MOSTLY_STORAGE, true);
    }

    @Test
    void budgetThatCannotHoldTheRingIsRefusedByName() throws Exception {
        Path file = ReferenceData.file("models/synth-A-Q4_K_M.gguf");
        Model.Builder b = builder(file).vramBudget("1k");
        org.assertj.core.api.Assertions.assertThatThrownBy(b::open)
                .isInstanceOf(dev.pagoda.core.tier.InsufficientBudgetException.class)
                .hasMessageContaining("budget");
    }
}
