package dev.pagoda.core.tier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaLoader;
import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.gguf.GgufFile;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CPU proof of layer streaming: a model run under a device budget that holds one layer beside
 * the ring (every other layer streamed), and under a host budget that sends layers to storage,
 * gives logits bit for bit identical to the resident run, for a prompt as one batch and for
 * token-by-token decoding; the stats count the bytes each tier moved.
 */
class StreamedLogitsTest {
    private static final int CONTEXT = 64;
    private static final int PROMPT = 24;
    private static final int DECODE = 6;

    /** Sizes the budgets are computed from, exactly as the planner computes them. */
    private record Sizes(LayerFootprint footprint, long deviceMinimum, long largestLayer, long staging) {
        static Sizes of(Path model) throws Exception {
            try (GgufFile file = GgufFile.open(model)) {
                LlamaConfig c = LlamaLoader.config(file);
                LayerFootprint f = LayerFootprint.of(file.tensors());
                ContextMemory ctx = ContextMemory.estimate(c, CONTEXT, PROMPT, KvCacheType.F32);
                long largest = f.layers().stream().mapToLong(LayerFootprint.Layer::deviceBytes).max().orElseThrow();
                long staging = f.layers().stream()
                        .mapToLong(l -> LayerLayout.stagingBytes(l.tensors(), TierPlanner.DEFAULT_STORAGE_BLOCK))
                        .max().orElseThrow();
                return new Sizes(f, f.nonLayerDeviceBytes() + ctx.totalBytes() + 2 * largest, largest, staging);
            }
        }
    }

    /** Logits of the prompt as one batch (every row), then of each decoded token. */
    private record Run(float[][] prompt, float[][] decoded, TierStats stats) {}

    private static Run run(Model model, int[] tokens) {
        TierStats before = model.tierStats();
        Session s = model.newSession();
        float[][] prompt = s.feedAll(java.util.Arrays.copyOf(tokens, PROMPT));
        float[][] decoded = new float[DECODE][];
        for (int i = 0; i < DECODE; i++) {
            decoded[i] = s.feed(tokens[PROMPT + i]);
        }
        return new Run(prompt, decoded, model.tierStats().since(before));
    }

    /**
     * A run repeated until two in a row agree bit for bit, so that streamed and resident runs are
     * compared under the same compiled kernels: a kernel whose float summation order differed
     * between interpreted and C2 code (as reduceLanes does) would otherwise make a cold JVM's first
     * passes differ in the last bits whatever the weights' source.
     */
    private static Run stableRun(Model model, int[] tokens) {
        Run last = run(model, tokens);
        for (int attempt = 0; attempt < 8; attempt++) {
            Run again = run(model, tokens);
            if (bitsEqual(again.prompt(), last.prompt()) && bitsEqual(again.decoded(), last.decoded())) {
                return again;
            }
            last = again;
        }
        throw new AssertionError("the same model gave different logits in 9 runs in a row");
    }

    private static boolean bitsEqual(float[][] a, float[][] b) {
        for (int r = 0; r < a.length; r++) {
            for (int i = 0; i < a[r].length; i++) {
                if (Float.floatToRawIntBits(a[r][i]) != Float.floatToRawIntBits(b[r][i])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Model.Builder builder(Path model) {
        // The CPU pipeline is what this test proves; on a GPU host AUTO would stream on CUDA instead.
        return Model.builder(model).backend(dev.pagoda.core.Backend.CPU).contextLength(CONTEXT).batchSize(PROMPT).threads(2);
    }

    private static void assertBitIdentical(float[][] actual, float[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int r = 0; r < expected.length; r++) {
            int[] a = new int[actual[r].length];
            int[] e = new int[expected[r].length];
            for (int i = 0; i < e.length; i++) {
                a[i] = Float.floatToRawIntBits(actual[r][i]);
                e[i] = Float.floatToRawIntBits(expected[r][i]);
            }
            assertThat(a).as("row %d", r).isEqualTo(e);
        }
    }

    private static int[] tokens(Model model) {
        return new SplittableRandom(7).ints(PROMPT + DECODE, 0, model.config().vocabSize()).toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "synth-A-Q4_K_M.gguf", "synth-A-F32.gguf"})
    void oneResidentLayerStreamsTheRestWithIdenticalLogits(String name) throws Exception {
        Path path = ReferenceData.file("models/" + name);
        Sizes sizes = Sizes.of(path);
        Run resident;
        int[] tokens;
        try (Model model = builder(path).open()) {
            tokens = tokens(model);
            resident = stableRun(model, tokens);
            assertThat(model.tierPlan()).isEmpty();
        }
        long budget = sizes.deviceMinimum() + sizes.largestLayer();
        try (Model model = builder(path).vramBudget(Long.toString(budget)).open()) {
            TierPlan plan = model.tierPlan().orElseThrow();
            int n = plan.layerCount();
            assertThat(plan.layerCount(Tier.A)).isEqualTo(1);
            assertThat(plan.layerCount(Tier.B)).isEqualTo(n - 1);
            Run streamed = stableRun(model, tokens);
            assertBitIdentical(streamed.prompt(), resident.prompt());
            assertBitIdentical(streamed.decoded(), resident.decoded());

            TierStats s = streamed.stats();
            assertThat(s.passes()).as("the prompt is one pass, each decoded token one").isEqualTo(1 + DECODE);
            assertThat(s.tokens()).isEqualTo(PROMPT + DECODE);
            assertThat(s.tierABytes()).isEqualTo(s.passes() * plan.layerBytes(Tier.A));
            assertThat(s.tierBBytes()).isEqualTo(s.passes() * plan.layerBytes(Tier.B));
            assertThat(s.tierCBytes()).isZero();
            assertThat(plan.layerBytes(Tier.A) + plan.layerBytes(Tier.B)).isEqualTo(sizes.footprint().layerBytes());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "synth-A-Q4_K_M.gguf"})
    void layersBeyondTheHostBudgetAreReadFromStorageWithIdenticalLogits(String name) throws Exception {
        Path path = ReferenceData.file("models/" + name);
        Sizes sizes = Sizes.of(path);
        Run resident;
        int[] tokens;
        try (Model model = builder(path).open()) {
            tokens = tokens(model);
            resident = stableRun(model, tokens);
        }
        long smallestLayer = sizes.footprint().layers().stream().mapToLong(LayerFootprint.Layer::bytes).min().orElseThrow();
        long ram = 2 * sizes.staging() + smallestLayer;
        try (Model model = builder(path).vramBudget(Long.toString(sizes.deviceMinimum()))
                .ramBudget(Long.toString(ram)).open()) {
            TierPlan plan = model.tierPlan().orElseThrow();
            assertThat(plan.layerCount(Tier.A)).isZero();
            assertThat(plan.layerCount(Tier.B)).isLessThanOrEqualTo(1);
            assertThat(plan.layerCount(Tier.C)).isGreaterThanOrEqualTo(plan.layerCount() - 1);
            Run streamed = stableRun(model, tokens);
            assertBitIdentical(streamed.prompt(), resident.prompt());
            assertBitIdentical(streamed.decoded(), resident.decoded());
            TierStats s = streamed.stats();
            assertThat(s.tierABytes()).isZero();
            assertThat(s.tierBBytes()).isEqualTo(s.passes() * plan.layerBytes(Tier.B));
            assertThat(s.tierCBytes()).isEqualTo(s.passes() * plan.layerBytes(Tier.C)).isPositive();
        }
    }
}
