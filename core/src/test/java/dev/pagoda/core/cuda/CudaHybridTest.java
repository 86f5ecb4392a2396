package dev.pagoda.core.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.Backend;
import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.Model;
import dev.pagoda.core.backend.ForwardPass;
import dev.pagoda.core.hybrid.HybridStats;
import dev.pagoda.core.hybrid.SplitController;
import dev.pagoda.core.llama.LlamaLoader;
import dev.pagoda.core.synth.FileType;
import dev.pagoda.core.synth.ModelShape;
import dev.pagoda.core.synth.ModelSynthesizer;
import dev.pagoda.core.synth.SynthOptions;
import dev.pagoda.core.synth.WeightMode;
import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.core.tier.ContextMemory;
import dev.pagoda.core.tier.LayerFootprint;
import dev.pagoda.core.tier.Tier;
import dev.pagoda.core.tier.TierPlan;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.kernels.MatVecInput;
import dev.pagoda.gguf.GgufFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hybrid decode on the GPU: with a VRAM budget that keeps one block resident and pins the rest
 * (tier B), decode logits with the host computing its share of every streamed matrix equal the
 * GPU-only streamed run within float tolerance (the host sums in another order), for half the rows
 * on the host, all of them, and the calibrated default; greedy continuations are identical on
 * stories260K; the prompt (prefill) still runs wholly on the device. Needs a CUDA device: without
 * one (CI) every test is skipped with that reason.
 */
class CudaHybridTest {
    private static final int CONTEXT = 96;
    private static final int PROMPT = 16;
    private static final int DECODE = 8;
    private static final int GREEDY = 32;
    private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    @BeforeAll
    static void requireGpu() {
        Optional<Cuda> cuda = Cuda.tryOpen();
        Assumptions.assumeTrue(cuda.isPresent(),
                "no CUDA device here (driver missing or no GPU): the CUDA hybrid decode tests are skipped");
        cuda.get().close();
    }

    /** Prefill logits (last row), each decoded token's logits, a greedy continuation, and what the host did. */
    private record Run(float[] prefill, float[][] decoded, int[] greedy, long hostBytes) {}

    /** A budget holding the non-layer tensors, the context, a ring of two slots and one resident block. */
    private static long budget(Path path) throws Exception {
        try (GgufFile file = GgufFile.open(path)) {
            var c = LlamaLoader.config(file);
            LayerFootprint f = LayerFootprint.of(file.tensors());
            ContextMemory ctx = ContextMemory.estimate(c, CONTEXT, PROMPT, KvCacheType.F16);
            long largest = f.layers().stream().mapToLong(LayerFootprint.Layer::deviceBytes).max().orElseThrow();
            return f.nonLayerDeviceBytes() + ctx.totalBytes() + 3 * largest;
        }
    }

    /** Runs the engine directly, with {@code share} (null: every block whole on the GPU). */
    private static Run run(Path path, long vram, SplitController share, int[] tokens, MatVecInput input)
            throws Exception {
        try (GgufFile file = GgufFile.open(path)) {
            LlamaLoader.Loaded loaded = LlamaLoader.load(file);
            Cuda cuda = Cuda.open();
            TierPlan plan = CudaTiering.plan(cuda, file, loaded.config(), CONTEXT, PROMPT, vram, -1);
            assertThat(plan.layerCount(Tier.B)).as(plan.table()).isGreaterThanOrEqualTo(1);
            assertThat(plan.layerCount(Tier.C)).as(plan.table()).isZero();
            try (CudaEngine engine = CudaEngine.openStreaming(cuda, file, loaded.config(), loaded.weights(), plan,
                    CudaTiering.READ_THREADS, share, THREADS, input)) {
                int vocab = loaded.config().vocabSize();
                float[] prefill = new float[vocab];
                float[][] decoded = new float[DECODE][vocab];
                int[] greedy = new int[GREEDY];
                try (ForwardPass fp = engine.newForwardPass(CONTEXT, PROMPT)) {
                    fp.forward(tokens, 0, PROMPT, 0, prefill, false);
                    for (int i = 0; i < DECODE; i++) {
                        fp.forward(tokens, PROMPT + i, 1, PROMPT + i, decoded[i], false);
                    }
                }
                try (ForwardPass fp = engine.newForwardPass(CONTEXT, PROMPT)) {
                    int next = fp.forwardArgmax(tokens, 0, PROMPT, 0);
                    int[] one = new int[1];
                    for (int i = 0; i < GREEDY; i++) {
                        greedy[i] = next;
                        one[0] = next;
                        next = fp.forwardArgmax(one, 0, 1, PROMPT + i);
                    }
                }
                long host = engine.hybridStats().map(HybridStats::hostBytes).orElse(0L);
                return new Run(prefill, decoded, greedy, host);
            }
        }
    }

    private static void assertClose(float[] actual, float[] expected, String what, MatVecInput input) {
        double dot = 0, na = 0, ne = 0, maxAbs = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            dot += (double) actual[i] * expected[i];
            na += (double) actual[i] * actual[i];
            ne += (double) expected[i] * expected[i];
            maxAbs = Math.max(maxAbs, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        double cosine = dot / Math.sqrt(na * ne);
        System.out.printf("%s: cosine %.9f, max |diff| %.3g (max |logit| %.3g)%n", what, cosine, maxAbs, scale);
        if (input != MatVecInput.INT8) {
            // float32 x, or 16-bit x whose rounding (~2e-5 of a product) stays inside the float bar
            assertThat(cosine).as("%s cosine", what).isGreaterThanOrEqualTo(0.99999);
            assertThat(maxAbs).as("%s max |diff|", what).isLessThanOrEqualTo(1e-3 * Math.max(1, scale));
        } else {
            // the device's rows take int8 x, the host's float x: the int8 rounding of the rows the host took over
            assertThat(cosine).as("%s cosine", what).isGreaterThanOrEqualTo(0.999);
        }
    }

    /**
     * With float32 x on the device both sides compute the same float products, so the split itself is
     * checked to float tolerance (16-bit x too: its rounding is far inside it); with int8 x (opt-in) the rows the host takes over skip the int8 rounding of x,
     * so the two runs differ by that rounding: checked at the int8 bound of CudaBackendTest (0.999).
     */
    private static void hybridMatchesGpuOnly(Path path, boolean sameGreedy) throws Exception {
        hybridMatchesGpuOnly(path, sameGreedy, MatVecInput.FLOAT32);
    }

    private static void hybridMatchesGpuOnly(Path path, boolean sameGreedy, MatVecInput input) throws Exception {
        long vram = budget(path);
        int vocab;
        try (GgufFile file = GgufFile.open(path)) {
            vocab = LlamaLoader.config(file).vocabSize();
        }
        int[] tokens = new SplittableRandom(5).ints(PROMPT + DECODE, 1, vocab).toArray();
        Run gpu = run(path, vram, null, tokens, input);
        assertThat(gpu.hostBytes()).isZero();
        for (double deviceFraction : new double[] {0.5, 0.0}) {
            Run hybrid = run(path, vram, SplitController.fixed(deviceFraction, 32), tokens, input);
            String what = path.getFileName() + " " + input + " device fraction " + deviceFraction;
            assertThat(hybrid.hostBytes()).as("%s: the host computed rows", what).isPositive();
            assertThat(hybrid.prefill()).as("%s: prefill runs wholly on the device, bit for bit", what)
                    .isEqualTo(gpu.prefill());
            for (int i = 0; i < DECODE; i++) {
                assertClose(hybrid.decoded()[i], gpu.decoded()[i], what + " decode " + i, input);
            }
            if (sameGreedy) {
                assertThat(hybrid.greedy()).as("%s greedy continuation", what).isEqualTo(gpu.greedy());
            }
        }
    }

    // an 8-block tiny-shape Q4_K_M model with exact weights, written into dir
    private static Path tinyQ4KM(Path dir) throws Exception {
        Path file = dir.resolve("tiny8-q4_k_m.gguf");
        ModelSynthesizer.write(new SynthOptions(ModelShape.TINY.withBlockCount(8), FileType.Q4_K_M, 11,
                WeightMode.EXACT, 2), file);
        return file;
    }

    @Test
    void stories260KHybridLogitsAndGreedyMatchTheGpuOnlyStreamedRun() throws Exception {
        hybridMatchesGpuOnly(ReferenceData.file("models/stories260K.gguf"), true);
    }

    @Test
    void synthesizedQ4KMHybridLogitsMatchTheGpuOnlyStreamedRun(@TempDir Path dir) throws Exception {
        hybridMatchesGpuOnly(tinyQ4KM(dir), false);
    }

    @Test
    void referenceQ4KMHybridLogitsMatchTheGpuOnlyStreamedRun() throws Exception {
        hybridMatchesGpuOnly(ReferenceData.file("models/synth-A-Q4_K_M.gguf"), false);
    }

    @Test
    void int8ActivationsHybridLogitsStayNearTheGpuOnlyStreamedRun(@TempDir Path dir) throws Exception {
        hybridMatchesGpuOnly(tinyQ4KM(dir), false, MatVecInput.INT8);
    }

    /** 16-bit x (the CUDA default): the rows the host takes over skip a rounding too small for the float bar to see. */
    @Test
    void int16ActivationsHybridLogitsMatchTheGpuOnlyStreamedRun(@TempDir Path dir) throws Exception {
        hybridMatchesGpuOnly(tinyQ4KM(dir), false, MatVecInput.INT16);
    }

    /** The default of a budgeted CUDA model: hybrid on (calibrated share), greedy text as with --no-hybrid. */
    @Test
    void hybridIsTheDefaultForCudaStreamingAndNoHybridTurnsItOff() throws Exception {
        Path path = ReferenceData.file("models/stories260K.gguf");
        String vram = Long.toString(budget(path));
        int[] withHybrid;
        int[] without;
        try (Model m = Model.builder(path).backend(Backend.CUDA).contextLength(CONTEXT).batchSize(PROMPT)
                .vramBudget(vram).open()) {
            assertThat(m.hybridStats()).isPresent();
            withHybrid = greedy(m);
            System.out.println("default: " + m.hybridStats().orElseThrow().perPassSummary(GREEDY));
        }
        try (Model m = Model.builder(path).backend(Backend.CUDA).contextLength(CONTEXT).batchSize(PROMPT)
                .vramBudget(vram).hybrid(false).open()) {
            assertThat(m.hybridStats()).isEmpty();
            without = greedy(m);
        }
        assertThat(withHybrid).isEqualTo(without);
    }

    private static int[] greedy(Model m) {
        try (var s = m.newSession()) {
            int next = s.feedArgmax(new int[] {1, 400, 300, 200});
            int[] out = new int[GREEDY];
            for (int i = 0; i < GREEDY; i++) {
                out[i] = next;
                next = s.feedArgmax(next);
            }
            return Arrays.copyOf(out, GREEDY);
        }
    }
}
