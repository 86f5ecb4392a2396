package dev.pagoda.core.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Generation;
import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.UnsupportedModelException;
import dev.pagoda.core.synth.FileType;
import dev.pagoda.core.synth.ModelShape;
import dev.pagoda.core.synth.ModelSynthesizer;
import dev.pagoda.core.synth.SynthOptions;
import dev.pagoda.core.synth.WeightMode;
import dev.pagoda.core.testing.Json;
import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.kernels.MatVecInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CUDA backend against the CPU engine and llama.cpp: whole-model logits (cosine ≥ 0.9999 per
 * row) and greedy tokens, prefill against one-token decode (the captured graphs), the on-device
 * argmax, and AUTO's fallback. Needs a CUDA device: on a machine without one (CI) every test is
 * skipped with that reason; run them on the GPU host with scripts/dist/run-gpu-tests.sh.
 */
class CudaBackendTest {
    private static final double MIN_COSINE = 0.9999;

    @BeforeAll
    static void requireGpu() {
        Optional<Cuda> cuda = Cuda.tryOpen();
        if (cuda.isEmpty()) {
            // Surefire's summary shows a class skipped in @BeforeAll as 0 tests run: say why on the console.
            System.out.println("[pagoda] CudaBackendTest skipped: no CUDA device here (driver missing or no GPU)");
        }
        Assumptions.assumeTrue(cuda.isPresent(),
                "no CUDA device here (driver missing or no GPU): the CUDA backend tests are skipped");
        cuda.get().close();
    }

    record Case(String name, String model, String reference) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A case's llama.cpp run: the model file, prompt, greedy tokens and top1 − top2 gaps (each test that
     * uses a case needs these), and its logits and the float64 pass's, read only by the tests that compare them.
     */
    record Reference(Path model, int[] prompt, int[] generated, double[] gaps, String base) {
        static Reference of(Case c) throws IOException {
            Path model = ReferenceData.file(c.model());
            Map<String, Object> json = Json.object(ReferenceData.file(c.reference() + ".f32kv.json"));
            return new Reference(model, Json.ints(json, "prompt_token_ids"), Json.ints(json, "generated_token_ids"),
                    Json.doubles(json, "top1_minus_top2_logit_gap"), c.reference());
        }

        /** llama.cpp's logits (F32 KV cache), one row per generated token. */
        float[] llamaLogits() throws IOException {
            return ReferenceData.floats(ReferenceData.file(base + ".f32kv.logits.f32.bin"));
        }

        /** The float64 forward pass's logits on the same dequantized weights, one row per generated token. */
        float[] exactLogits() throws IOException {
            return ReferenceData.floats(ReferenceData.file(base + ".numpy-f64.logits.f32.bin"));
        }

        /** The prompt and every generated token but the last: the rows whose logits predict the generated tokens. */
        int[] teacherForced() {
            int[] tokens = new int[prompt.length + generated.length - 1];
            System.arraycopy(prompt, 0, tokens, 0, prompt.length);
            System.arraycopy(generated, 0, tokens, prompt.length, generated.length - 1);
            return tokens;
        }
    }

    static Stream<Case> referenceCases() {
        return Stream.of(
                new Case("synth-A F32", "models/synth-A-F32.gguf", "synthetic/synth-A-F32"),
                new Case("synth-A F16", "models/synth-A-F16.gguf", "synthetic/synth-A-F16"),
                new Case("synth-A Q8_0", "models/synth-A-Q8_0.gguf", "synthetic/synth-A-Q8_0"),
                new Case("synth-A Q4_K_M", "models/synth-A-Q4_K_M.gguf", "synthetic/synth-A-Q4_K_M"),
                new Case("stories260K prompt 1", STORIES, "stories260K/prompt1"),
                new Case("stories260K prompt 2", STORIES, "stories260K/prompt2"));
    }

    /** F32 matrices, an FFN of 172 (the any-width kernels), head width 8. */
    private static final String STORIES = "models/stories260K.gguf";

    static Stream<Case> storiesCases() {
        return referenceCases().filter(c -> c.model().equals(STORIES));
    }

    static double cosine(float[] a, int aOff, float[] b, int bOff, int n) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < n; i++) {
            dot += (double) a[aOff + i] * b[bOff + i];
            na += (double) a[aOff + i] * a[aOff + i];
            nb += (double) b[bOff + i] * b[bOff + i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[off + i] > v[off + best]) {
                best = i;
            }
        }
        return best;
    }

    /** Top-1 minus top-2 logit of a row: where it is tiny, rounding may legitimately swap the argmax. */
    static double gap(float[] v, int off, int n) {
        float first = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float x = v[off + i];
            if (x > first) {
                second = first;
                first = x;
            } else if (x > second) {
                second = x;
            }
        }
        return first - second;
    }

    /**
     * Teacher-forced one-token decode (the captured graphs) against the float64 forward pass on the
     * same dequantized weights (cosine ≥ 0.9999 on every row) and against llama.cpp: its greedy token
     * wherever its top1 − top2 gap exceeds 0.1, and its logits at cosine ≥ 0.9999 for F32 and F16. For the
     * quantized files llama.cpp quantizes the activations too (Q8_0 / Q8_K), which puts its own logits
     * at cosine 0.9995 (Q8_0) and 0.9991 (Q4_K_M) from exact math on their worst rows, so there the bound is 0.999.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void greedyDecodeMatchesReference(Case c) throws IOException {
        Reference ref = Reference.of(c);
        Path file = ref.model();
        float[] llama = ref.llamaLogits();
        float[] exact = ref.exactLogits();
        double[] gaps = ref.gaps();
        int[] prompt = ref.prompt();
        int[] generated = ref.generated();
        double llamaBound = c.name().contains("F16") || c.name().contains("F32") || c.model().equals(STORIES)
                ? MIN_COSINE : 0.999;
        try (Model model = Model.builder(file).backend(Backend.CUDA).contextLength(256).open();
                Session s = model.newSession()) {
            assertThat(model.backend()).isEqualTo(Backend.CUDA);
            int vocab = model.config().vocabSize();
            float[] logits = s.feed(prompt);
            double worstExact = 1;
            double worstLlama = 1;
            for (int r = 0; r < generated.length; r++) {
                double cosExact = cosine(logits, 0, exact, r * vocab, vocab);
                double cosLlama = cosine(logits, 0, llama, r * vocab, vocab);
                worstExact = Math.min(worstExact, cosExact);
                worstLlama = Math.min(worstLlama, cosLlama);
                assertThat(cosExact).as("%s: cosine of row %d with the float64 pass", c, r).isGreaterThanOrEqualTo(MIN_COSINE);
                assertThat(cosLlama).as("%s: cosine of row %d with llama.cpp", c, r).isGreaterThanOrEqualTo(llamaBound);
                if (gaps[r] > 0.1) {
                    assertThat(argmax(logits, 0, vocab)).as("%s: greedy token %d (gap %.3f)", c, r, gaps[r])
                            .isEqualTo(generated[r]);
                }
                if (r + 1 < generated.length) {
                    logits = s.feed(generated[r]);
                }
            }
            System.out.printf("%s on %s: %d rows, worst cosine with the float64 pass %.7f, with llama.cpp %.7f%n", c,
                    model.engineName(), generated.length, worstExact, worstLlama);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void onDeviceArgmaxMatchesLlamaCppTokens(Case c) throws IOException {
        Reference ref = Reference.of(c);
        Path file = ref.model();
        double[] gaps = ref.gaps();
        int[] prompt = ref.prompt();
        int[] generated = ref.generated();
        try (Model model = Model.builder(file).backend(Backend.CUDA).contextLength(256).open();
                Session s = model.newSession()) {
            int pick = s.feedArgmax(prompt);
            for (int r = 0; r < generated.length; r++) {
                if (gaps[r] > 0.1) {
                    assertThat(pick).as("%s: on-device argmax, token %d (gap %.3f)", c, r, gaps[r]).isEqualTo(generated[r]);
                }
                if (r + 1 < generated.length) {
                    pick = s.feedArgmax(generated[r]);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void prefillRowsMatchCpuAndDecode(Case c) throws IOException {
        Reference ref = Reference.of(c);
        compareWithCpu(ref.model(), ref.teacherForced(), c.name(), false);
    }

    /**
     * The quantized synthetic files, where opt-in int8 x changes the decode products (Q8_0, Q4_K, Q6_K);
     * for F32 and F16 weights the int8 option runs the float kernels and changes nothing.
     */
    static Stream<Case> quantizedCases() {
        return referenceCases().filter(c -> c.name().contains("Q8_0") || c.name().contains("Q4_K_M"));
    }

    /**
     * Opt-in int8 x ({@code int8Activations}): teacher-forced decode against the float64 pass, beside
     * llama.cpp's own distance from that pass on the same rows (it quantizes x too). The bound is the one
     * this class already holds llama.cpp's quantized logits to (cosine ≥ 0.999 on every row), and no row
     * further from exact than twice llama.cpp's worst; greedy tokens equal wherever its gap exceeds 0.1.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("quantizedCases")
    void int8ActivationsDecodeStaysAsNearExactAsLlamaCpp(Case c) throws IOException {
        Reference ref = Reference.of(c);
        Path file = ref.model();
        float[] llama = ref.llamaLogits();
        float[] exact = ref.exactLogits();
        double[] gaps = ref.gaps();
        int[] prompt = ref.prompt();
        int[] generated = ref.generated();
        try (Model model = Model.builder(file).backend(Backend.CUDA).int8Activations(true).contextLength(256).open();
                Session s = model.newSession()) {
            int vocab = model.config().vocabSize();
            double llamaWorst = 1;
            for (int r = 0; r < generated.length; r++) {
                llamaWorst = Math.min(llamaWorst, cosine(llama, r * vocab, exact, r * vocab, vocab));
            }
            float[] logits = s.feed(prompt);
            double worst = 1;
            for (int r = 0; r < generated.length; r++) {
                double cos = cosine(logits, 0, exact, r * vocab, vocab);
                worst = Math.min(worst, cos);
                assertThat(cos).as("%s int8 x: cosine of row %d with the float64 pass", c, r).isGreaterThanOrEqualTo(0.999);
                if (gaps[r] > 0.1) {
                    assertThat(argmax(logits, 0, vocab)).as("%s int8 x: greedy token %d (gap %.3f)", c, r, gaps[r])
                            .isEqualTo(generated[r]);
                }
                if (r + 1 < generated.length) {
                    logits = s.feed(generated[r]);
                }
            }
            System.out.printf("%s INT8 x: %d rows, worst cosine with the float64 pass %.7f (llama.cpp's own %.7f)%n",
                    c, generated.length, worst, llamaWorst);
            assertThat(1 - worst).as("%s int8 x: worst distance from exact against llama.cpp's %.7f", c, llamaWorst)
                    .isLessThanOrEqualTo(2 * (1 - llamaWorst) + 1e-5);
        }
    }

    /**
     * 16-bit x ({@code activations(MatVecInput.INT16)}): teacher-forced decode held to the float32 path's own
     * bars, not int8's: every row at cosine ≥ 0.9999 with the float64 pass and ≥ 0.99999 with the float32
     * decode of the same rows, greedy tokens equal to llama.cpp's wherever its gap exceeds 0.1.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("quantizedCases")
    void int16ActivationsDecodeMatchesTheFloatPath(Case c) throws IOException {
        Reference ref = Reference.of(c);
        Path file = ref.model();
        float[] exact = ref.exactLogits();
        double[] gaps = ref.gaps();
        int[] prompt = ref.prompt();
        int[] generated = ref.generated();
        try (Model int16 = Model.builder(file).backend(Backend.CUDA).activations(MatVecInput.INT16).contextLength(256)
                .open(); Model float32 = Model.builder(file).backend(Backend.CUDA).contextLength(256).open();
                Session s = int16.newSession(); Session f = float32.newSession()) {
            int vocab = int16.config().vocabSize();
            float[] logits = s.feed(prompt);
            float[] reference = f.feed(prompt);
            double worstExact = 1;
            double worstFloat = 1;
            for (int r = 0; r < generated.length; r++) {
                double cosExact = cosine(logits, 0, exact, r * vocab, vocab);
                double cosFloat = cosine(logits, 0, reference, 0, vocab);
                worstExact = Math.min(worstExact, cosExact);
                worstFloat = Math.min(worstFloat, cosFloat);
                assertThat(cosExact).as("%s int16 x: cosine of row %d with the float64 pass", c, r)
                        .isGreaterThanOrEqualTo(MIN_COSINE);
                assertThat(cosFloat).as("%s int16 x: cosine of row %d with float32 x", c, r).isGreaterThanOrEqualTo(0.99999);
                if (gaps[r] > 0.1) {
                    assertThat(argmax(logits, 0, vocab)).as("%s int16 x: greedy token %d (gap %.3f)", c, r, gaps[r])
                            .isEqualTo(generated[r]);
                }
                if (r + 1 < generated.length) {
                    logits = s.feed(generated[r]);
                    reference = f.feed(generated[r]);
                }
            }
            System.out.printf("%s INT16 x: %d rows, worst cosine with the float64 pass %.7f, with float32 x %.9f%n", c,
                    generated.length, worstExact, worstFloat);
        }
    }

    /**
     * GPU batched rows vs CPU (F16 cache) rows at cosine ≥ 0.9999, and GPU token-by-token decode vs GPU
     * batched rows: at 0.9999 with float32 x, at the int8 bound (0.999, as above) with {@code int8} x.
     */
    private static void compareWithCpu(Path file, int[] tokens, String what, boolean int8) throws IOException {
        float[][] cpu;
        try (Model model = Model.builder(file).backend(Backend.CPU).kvCacheType(KvCacheType.F16).contextLength(256)
                .threads(2).open()) {
            cpu = model.evaluateAll(tokens);
        }
        double decodeBound = int8 ? 0.999 : MIN_COSINE;
        try (Model model = Model.builder(file).backend(Backend.CUDA).int8Activations(int8).contextLength(256)
                .batchSize(16).open();
                Session s = model.newSession()) {
            int vocab = model.config().vocabSize();
            // batches of 16: the second and later batches attend over positions written by earlier ones
            float[][] gpu = model.evaluateAll(tokens);
            double worstCpu = 1;
            double worstDecode = 1;
            for (int t = 0; t < tokens.length; t++) {
                double cos = cosine(gpu[t], 0, cpu[t], 0, vocab);
                worstCpu = Math.min(worstCpu, cos);
                assertThat(cos).as("%s: GPU vs CPU cosine at position %d", what, t).isGreaterThanOrEqualTo(MIN_COSINE);
                if (gap(cpu[t], 0, vocab) > 1e-2) {
                    assertThat(argmax(gpu[t], 0, vocab)).as("%s: GPU vs CPU argmax at position %d", what, t)
                            .isEqualTo(argmax(cpu[t], 0, vocab));
                }
                float[] step = s.feed(tokens[t]);
                double d = cosine(step, 0, gpu[t], 0, vocab);
                worstDecode = Math.min(worstDecode, d);
                assertThat(d).as("%s: decode vs prefill cosine at position %d", what, t).isGreaterThanOrEqualTo(decodeBound);
            }
            System.out.printf("%s%s: %d positions, worst cosine GPU vs CPU %.7f, decode vs prefill %.7f%n", what,
                    int8 ? " INT8 x" : "", tokens.length, worstCpu, worstDecode);
        }
    }

    /**
     * stories260K: llama.cpp's 64 greedy tokens, free-running on the device argmax from the prompt, all
     * equal; and teacher-forced one-token decode (the float32 matvec path) against the CPU at cosine ≥
     * 0.99999 at every position.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("storiesCases")
    void storiesGreedyTokensEqualLlamaCppAndDecodeMatchesCpu(Case c) throws IOException {
        Reference ref = Reference.of(c);
        Path file = ref.model();
        int[] prompt = ref.prompt();
        int[] generated = ref.generated();
        assertThat(generated).hasSize(64);
        try (Model model = Model.builder(file).backend(Backend.CUDA).contextLength(256).open();
                Session s = model.newSession()) {
            int[] got = new int[generated.length];
            got[0] = s.feedArgmax(prompt);
            for (int i = 1; i < got.length; i++) {
                got[i] = s.feedArgmax(got[i - 1]);
            }
            assertThat(got).as("%s: 64 greedy tokens on the device", c).containsExactly(generated);
        }
        int[] tokens = ref.teacherForced();
        double worst = 1;
        try (Model cpuModel = Model.builder(file).backend(Backend.CPU).kvCacheType(KvCacheType.F16).contextLength(256)
                .threads(2).open();
                Session cpu = cpuModel.newSession();
                Model gpuModel = Model.builder(file).backend(Backend.CUDA).contextLength(256).open();
                Session gpu = gpuModel.newSession()) {
            assertThat(gpuModel.backend()).isEqualTo(Backend.CUDA);
            int vocab = gpuModel.config().vocabSize();
            for (int t = 0; t < tokens.length; t++) {
                float[] want = cpu.feed(tokens[t]);
                float[] have = gpu.feed(tokens[t]);
                double cos = cosine(have, 0, want, 0, vocab);
                worst = Math.min(worst, cos);
                assertThat(cos).as("%s: one-token decode GPU vs CPU at position %d", c, t).isGreaterThanOrEqualTo(0.99999);
            }
        }
        System.out.printf("%s: 64 greedy tokens equal llama.cpp's; worst decode cosine GPU vs CPU %.7f%n", c, worst);
    }

    /** Float models whose widths are not multiples of 32 (48, 100, head width 8): the any-width kernels end to end. */
    @ParameterizedTest(name = "pagoda synth odd-width {0}")
    @EnumSource(value = FileType.class, names = {"F32", "F16"})
    void oddWidthFloatModelMatchesCpu(FileType type, @TempDir Path dir) throws IOException {
        Path file = OddShapes.write(OddShapes.FLOAT, type, dir);
        int[] tokens = new java.util.SplittableRandom(5).ints(40, 3, OddShapes.FLOAT.vocabSize() - 16).toArray();
        compareWithCpu(file, tokens, "odd-width " + type.cliName(), false);
    }

    @ParameterizedTest(name = "pagoda synth tiny {0}")
    @EnumSource(value = FileType.class, names = {"Q4_K_M", "Q8_0", "F16", "F32"})
    void synthesizedModelMatchesCpu(FileType type, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("tiny-" + type.cliName() + ".gguf");
        ModelSynthesizer.write(new SynthOptions(ModelShape.TINY, type, 7, WeightMode.EXACT, 2), file);
        int[] tokens = new java.util.SplittableRandom(3).ints(40, 3, ModelShape.TINY.vocabSize()).toArray();
        compareWithCpu(file, tokens, "tiny " + type.cliName(), false);
    }

    @ParameterizedTest(name = "pagoda synth tiny {0}, int8 x")
    @EnumSource(value = FileType.class, names = {"Q4_K_M", "Q8_0", "Q6_K"})
    void synthesizedModelWithInt8ActivationsMatchesCpu(FileType type, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("tiny-" + type.cliName() + ".gguf");
        ModelSynthesizer.write(new SynthOptions(ModelShape.TINY, type, 7, WeightMode.EXACT, 2), file);
        int[] tokens = new java.util.SplittableRandom(3).ints(40, 3, ModelShape.TINY.vocabSize()).toArray();
        compareWithCpu(file, tokens, "tiny " + type.cliName(), true);
    }

    @Test
    void argmaxOnDeviceEqualsArgmaxOfLogits() throws IOException {
        Path file = ReferenceData.file("models/synth-A-Q4_K_M.gguf");
        try (Model model = Model.builder(file).backend(Backend.CUDA).contextLength(64).open();
                Session a = model.newSession();
                Session b = model.newSession()) {
            int vocab = model.config().vocabSize();
            int[] prompt = {1, 267, 424, 451};
            int pick = a.feedArgmax(prompt);
            float[] logits = b.feed(prompt);
            for (int i = 0; i < 20; i++) {
                assertThat(pick).as("step %d", i).isEqualTo(argmax(logits, 0, vocab));
                pick = a.feedArgmax(pick);
                logits = b.feed(argmax(logits, 0, vocab));
            }
        }
    }

    @Test
    void generateRunsGreedyOnTheDevice() throws IOException {
        Path file = ReferenceData.file("models/synth-A-Q8_0.gguf");
        try (Model gpu = Model.builder(file).backend(Backend.CUDA).contextLength(128).open()) {
            // greedy takes the on-device argmax; sampling with top-k 1 takes the same token from copied-back logits
            Generation greedy = Generation.greedy().maxTokens(24).ignoreEos(true);
            Generation topOne = Generation.sampled(1.0).topK(1).seed(1).maxTokens(24).ignoreEos(true);
            assertThat(gpu.generate("Once upon a time", greedy)).isEqualTo(gpu.generate("Once upon a time", topOne));
        }
    }

    @Test
    void autoFallsBackToCpuForModelsTheKernelsCannotRun(@TempDir Path dir) throws IOException {
        // rows of 64 and 96 under Q4_K_M fall back to Q5_0, a type the kernels do not read
        Path file = OddShapes.write(OddShapes.Q5_0_FALLBACK, FileType.Q4_K_M, dir);
        try (Model model = Model.open(file)) {
            assertThat(model.backend()).isEqualTo(Backend.CPU);
        }
        assertThatThrownBy(() -> Model.builder(file).backend(Backend.CUDA).open())
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("CUDA backend cannot run this model").hasMessageContaining("Q5_0");
    }

    @Test
    void autoPicksCudaWhenTheModelFits() throws IOException {
        Path file = ReferenceData.file("models/synth-A-Q4_K_M.gguf");
        try (Model model = Model.builder(file).contextLength(64).open()) {
            assertThat(model.backend()).isEqualTo(Backend.CUDA);
            assertThat(model.engineName()).startsWith("cuda (");
        }
    }

    @Test
    void sessionPastItsContextIsRefusedAndClosedSessionsFreeTheirMemory() throws IOException {
        Path file = ReferenceData.file("models/synth-A-Q8_0.gguf");
        try (Model model = Model.builder(file).backend(Backend.CUDA).contextLength(8).open()) {
            long before;
            try (Cuda probe = Cuda.open()) {
                before = probe.memoryInfo().freeBytes();
            }
            for (int i = 0; i < 5; i++) {
                try (Session s = model.newSession()) {
                    s.feed(1, 2, 3, 4, 5, 6, 7, 8);
                    assertThatThrownBy(() -> s.feed(9)).isInstanceOf(dev.pagoda.core.ContextFullException.class);
                }
            }
            long after;
            try (Cuda probe = Cuda.open()) {
                after = probe.memoryInfo().freeBytes();
            }
            assertThat(after).as("free device memory after five closed sessions").isGreaterThanOrEqualTo(before - (64L << 20));
        }
    }
}
