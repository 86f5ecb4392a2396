package dev.pagoda.core;

import dev.pagoda.core.backend.Engine;
import dev.pagoda.core.cpu.CpuBackend;
import dev.pagoda.core.cpu.WorkerPool;
import dev.pagoda.core.cuda.CudaEngine;
import dev.pagoda.core.cuda.CudaTiering;
import dev.pagoda.core.hybrid.HybridDecode;
import dev.pagoda.core.hybrid.HybridStats;
import dev.pagoda.core.hybrid.SplitController;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaGraph;
import dev.pagoda.core.llama.LlamaLoader;
import dev.pagoda.core.llama.LlamaWeights;
import dev.pagoda.core.sampling.Sampler;
import dev.pagoda.core.sampling.StopStringMatcher;
import dev.pagoda.core.tier.ByteSize;
import dev.pagoda.core.tier.CpuTiering;
import dev.pagoda.core.tier.LayerStreamer;
import dev.pagoda.core.tier.LayerTimeline;
import dev.pagoda.core.tier.TierPlan;
import dev.pagoda.core.tier.TierStats;
import dev.pagoda.core.tier.nvme.NvmeWeightSource;
import dev.pagoda.core.tokenizer.StreamingDecoder;
import dev.pagoda.core.tokenizer.Tokenizer;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaUnavailableException;
import dev.pagoda.cuda.kernels.MatVecInput;
import dev.pagoda.gguf.GgufFile;
import dev.pagoda.nvme.manifest.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A {@code llama}-architecture GGUF model ready to run on the GPU (CUDA, weights resident in device
 * memory) or the CPU (weights read in place from the mapped file): by default the GPU when one is
 * present and the model fits on it ({@link Backend#AUTO}). {@link #close()} frees the device memory,
 * unmaps the file and stops the worker threads.
 *
 * <pre>{@code
 * try (Model model = Model.open(Path.of("llama.gguf"))) {
 *     String text = model.generate("Once upon a time", Generation.greedy().maxTokens(64));
 *     model.generate("Once upon a time", Generation.sampled(0.7).seed(42), System.out::print);
 *     float[] logits = model.evaluate(model.tokenize("Once upon a time", true));
 * }
 * }</pre>
 *
 * <p>Thread-safe: one model may be shared by many threads, each with its own {@link Session}
 * (the worker pool serves their matrix products one after the other).
 */
public final class Model implements AutoCloseable {
    /** Prompt tokens run through the model together per forward call. */
    static final int DEFAULT_BATCH = 64;
    /** Prompt tokens per forward call on CUDA: large batches keep the tensor cores busy. */
    static final int DEFAULT_CUDA_BATCH = 512;
    private static final Logger LOG = Logger.getLogger(Model.class.getName());
    /** Context used unless asked otherwise: the training context, capped to keep the cache small. */
    static final int DEFAULT_CONTEXT_CAP = 4096;

    private final Path path;
    private final GgufFile file;
    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final Engine engine;
    private final Backend backend;
    private final int threads;
    private final Tokenizer tokenizer;
    private final int contextLength;
    private final int batchSize;
    private final LayerStreamer streamer;
    private volatile boolean closed;

    private Model(Path path, GgufFile file, LlamaConfig config, LlamaWeights weights, Engine engine, Backend backend,
            int threads, Tokenizer tokenizer, int contextLength, int batchSize, LayerStreamer streamer) {
        this.path = path;
        this.file = file;
        this.config = config;
        this.weights = weights;
        this.engine = engine;
        this.backend = backend;
        this.threads = threads;
        this.tokenizer = tokenizer;
        this.contextLength = contextLength;
        this.batchSize = batchSize;
        this.streamer = streamer;
    }

    /** Opens a model with default settings (see {@link Builder}). */
    public static Model open(Path path) throws IOException {
        return builder(path).open();
    }

    /** Settings for opening {@code path}. */
    public static Builder builder(Path path) {
        return new Builder(path);
    }

    /** Options for {@link Model#open}. Not thread-safe. */
    public static final class Builder {
        private final Path path;
        private int contextLength;
        private int threads = Runtime.getRuntime().availableProcessors();
        private KvCacheType kvCacheType = KvCacheType.F32;
        private int batchSize;
        private Backend backend = Backend.AUTO;
        private long deviceBudget = -1;
        private long hostBudget = -1;
        private Path nvmeManifest;
        private Boolean hybrid;  // null: on for CUDA streaming, off on the CPU
        private MatVecInput activations = MatVecInput.INT16;

        private Builder(Path path) {
            this.path = path;
        }

        /** Positions each session holds (default: the model's training context, at most 4096). */
        public Builder contextLength(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("context length must be at least 1, got " + n);
            }
            this.contextLength = n;
            return this;
        }

        /** Threads for matrix products (default: available processors; 1 to {@link WorkerPool#MAX_THREADS}). */
        public Builder threads(int n) {
            WorkerPool.checkThreadCount(n);
            this.threads = n;
            return this;
        }

        /**
         * Where to compute (default {@link Backend#AUTO}: CUDA when a device is present and the model
         * fits on it, else the CPU).
         */
        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /** KV cache element type on the CPU (default F32); the CUDA backend's cache is always F16. */
        public Builder kvCacheType(KvCacheType type) {
            this.kvCacheType = Objects.requireNonNull(type, "kvCacheType");
            return this;
        }

        /** Most prompt tokens computed together in one forward call (default 64 on the CPU, 512 on CUDA). */
        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + n);
            }
            this.batchSize = n;
            return this;
        }

        /**
         * Caps the compute device's memory: "24g", "512m" (see {@code ByteSize}). Layers that do
         * not fit beside the non-layer tensors, KV cache and workspace are streamed from host
         * memory each token (see docs/tiering.md). On the CPU the "device" is native memory
         * counted against this budget, and the streamed run gives the same logits as a resident one.
         */
        public Builder vramBudget(String size) {
            this.deviceBudget = ByteSize.parse(size);
            return this;
        }

        /**
         * Whether decode shares every streamed matrix's rows between the host and the device (see
         * docs/hybrid.md). By default on for CUDA streaming (tier B blocks: the host computes its
         * share from pinned RAM while the rest crosses PCIe) and off on the CPU backend, where host
         * and "device" are the same cores and sharing gains nothing. Only a budgeted, streaming run
         * is affected.
         */
        public Builder hybrid(boolean on) {
            this.hybrid = on;
            return this;
        }

        /**
         * Whether CUDA decode quantizes each matrix-vector product's input to int8 per 32 values for Q4_0,
         * Q8_0, Q4_K and Q6_K weights, as llama.cpp's CUDA decode does: {@code activations(INT8)} when on,
         * the default ({@code INT16}) when off. Int8 is the fastest (docs/BENCHMARKS.md), at about 1e-3
         * relative error per product: logits move about as far from exact math as llama.cpp's own
         * (docs/cuda-backend.md).
         */
        public Builder int8Activations(boolean on) {
            this.activations = on ? MatVecInput.INT8 : MatVecInput.INT16;
            return this;
        }

        /**
         * How CUDA decode's matrix-vector products take their input for Q4_0, Q8_0, Q4_K and Q6_K weights:
         * {@link MatVecInput#INT16} (the default: x quantized to 16 bits per 32 values, integer dot products,
         * within ~2e-5 of the float product, so logits agree with the float path to a cosine of ~1 - 1e-7),
         * {@link MatVecInput#FLOAT32} (float products, agreeing with the CPU engine to ~1e-6; slower) or
         * {@link MatVecInput#INT8} (as {@link #int8Activations}: fastest, llama.cpp's precision). Prefill,
         * the other formats and the CPU backend are not affected.
         */
        public Builder activations(MatVecInput input) {
            this.activations = java.util.Objects.requireNonNull(input, "input");
            return this;
        }

        private MatVecInput matVecInput() {
            return activations;
        }

        /** Caps the host memory pinned for streamed layers: "48g"; layers beyond it are read from the file each token. */
        public Builder ramBudget(String size) {
            this.hostBudget = ByteSize.parse(size);
            return this;
        }

        /**
         * Reads tier C layers through the userspace NVMe driver instead of O_DIRECT: {@code manifest}
         * is the file's extent manifest ({@code pagoda nvme manifest}), and the controller it names
         * must be bound to vfio-pci ({@code pagoda nvme bind}). Implies the layer-streaming pipeline
         * on the CPU; which layers are tier C is up to the budgets (see docs/NVME.md, "Tier C").
         */
        public Builder nvme(Path manifest) {
            this.nvmeManifest = Objects.requireNonNull(manifest, "manifest");
            return this;
        }

        /**
         * Maps the file and checks it can be run.
         *
         * @throws UnsupportedModelException for another architecture, MoE, missing keys or tensors,
         *     or (with {@link Backend#CUDA}) a model the CUDA kernels cannot run or that does not fit
         * @throws CudaUnavailableException with {@link Backend#CUDA} when no CUDA device can be used
         * @throws IOException when the file cannot be read or is not valid GGUF
         */
        public Model open() throws IOException {
            GgufFile file = GgufFile.open(path);
            try {
                LlamaLoader.Loaded loaded = LlamaLoader.load(file);
                LlamaConfig c = loaded.config();
                int ctx = contextLength > 0 ? contextLength
                        : Math.min(c.contextLength() > 0 ? c.contextLength() : DEFAULT_CONTEXT_CAP, DEFAULT_CONTEXT_CAP);
                Tokenizer tokenizer = file.metadata().contains("tokenizer.ggml.model")
                        ? Tokenizer.fromMetadata(file.metadata())
                        : null;
                if (tokenizer != null && tokenizer.vocabSize() > c.vocabSize()) {
                    throw new UnsupportedModelException(path.getFileName() + ": the tokenizer has "
                            + tokenizer.vocabSize() + " tokens but the model's vocabulary is " + c.vocabSize());
                }
                LlamaWeights w = loaded.weights();
                boolean budgeted = deviceBudget >= 0 || hostBudget >= 0 || nvmeManifest != null;
                if (nvmeManifest != null && backend == Backend.CUDA) {
                    throw new IllegalArgumentException("tier C through the NVMe driver (nvme) runs the layer-streaming "
                            + "pipeline on the CPU backend only in this version; open with Backend.CPU or AUTO");
                }
                if (backend != Backend.CPU && nvmeManifest == null) {
                    int batch = Math.min(batchSize > 0 ? batchSize : DEFAULT_CUDA_BATCH, ctx);
                    CudaEngine engine = budgeted ? openCudaStreaming(file, c, w, ctx, batch) : openCuda(c, w, ctx, batch);
                    if (engine != null) {
                        return new Model(path, file, c, w, engine, Backend.CUDA, 0, tokenizer, ctx, batch, null);
                    }
                }
                return openCpu(file, c, w, tokenizer, ctx, budgeted);
            } catch (IOException | RuntimeException e) {
                file.close();
                throw e;
            }
        }

        /** The CPU engine: weights read in place, or streamed through the budgets' tiers when {@code budgeted}. */
        private Model openCpu(GgufFile file, LlamaConfig c, LlamaWeights w, Tokenizer tokenizer, int ctx,
                boolean budgeted) throws IOException {
            int batch = Math.min(batchSize > 0 ? batchSize : DEFAULT_BATCH, ctx);
            CpuBackend cpu = new CpuBackend(threads);
            LayerStreamer streamer;
            try {
                streamer = budgeted
                        ? CpuTiering.open(file, c, w, ctx, batch, kvCacheType, deviceBudget, hostBudget,
                                tierCStorage(file)) : null;
            } catch (IOException | RuntimeException e) {
                cpu.close();
                throw e;
            }
            LlamaGraph graph = streamer == null ? new LlamaGraph(c, w, cpu)
                    : Boolean.TRUE.equals(hybrid) && streamer.plan().streams()
                            ? HybridDecode.graph(c, streamer, w, cpu, threads)
                    : new LlamaGraph(c, streamer.weights(), cpu, streamer);
            Engine engine = new CpuEngine(graph, cpu, kvCacheType);
            return new Model(path, file, c, w, engine, Backend.CPU, threads, tokenizer, ctx, batch, streamer);
        }

        /**
         * The CUDA engine streaming the blocks the budgets leave out of VRAM; null (after one log line
         * saying why) when AUTO finds no device or the kernels cannot run the model.
         */
        private CudaEngine openCudaStreaming(GgufFile file, LlamaConfig c, LlamaWeights w, int ctx, int batch)
                throws IOException {
            Cuda cuda = cudaOrNull("streaming on the CPU");
            if (cuda == null) {
                return null;
            }
            try {
                TierPlan plan;
                try {
                    plan = CudaTiering.plan(cuda, file, c, ctx, batch, deviceBudget, hostBudget);
                } catch (IOException | RuntimeException e) {
                    cuda.close();
                    throw e;
                }
                LOG.info(() -> plan.summary(path.getFileName().toString()));
                java.util.Set<dev.pagoda.gguf.GgmlType> shared = CudaEngine.sharedTypes(plan, w);
                if (Boolean.FALSE.equals(hybrid) || shared.isEmpty()) {
                    return CudaEngine.openStreaming(cuda, file, c, w, plan, CudaTiering.READ_THREADS, null, 0,
                            matVecInput());
                }
                SplitController share = SplitController.calibrated(plan.bandwidths().hostToDevice(), shared, threads);
                return CudaEngine.openStreaming(cuda, file, c, w, plan, CudaTiering.READ_THREADS, share, threads,
                        matVecInput());
            } catch (UnsupportedModelException e) {
                if (backend == Backend.CUDA) {
                    throw e;
                }
                LOG.info(() -> path.getFileName() + ": streaming on the CPU: " + e.getMessage());
                return null;
            }
        }

        /** O_DIRECT reads of the model's files, or the NVMe driver through the manifest. */
        private LayerStreamer.StorageOpener tierCStorage(GgufFile file) throws IOException {
            if (nvmeManifest == null) {
                return CpuTiering.directFiles();
            }
            if (file.shardCount() > 1) {
                throw new IllegalArgumentException(path.getFileName() + " is split in " + file.shardCount()
                        + " files, but an NVMe manifest covers one file: join it (llama-gguf-split --merge) to read it"
                        + " through the NVMe driver");
            }
            ModelManifest manifest;
            try {
                manifest = ModelManifest.read(nvmeManifest);
            } catch (IOException e) {
                throw new IOException("cannot read the NVMe manifest of " + path.getFileName() + ": " + e.getMessage(), e);
            }
            return NvmeWeightSource.opener(manifest);
        }

        /**
         * A CUDA context; null (after one log line: the file, {@code fallback} and why) when AUTO finds
         * no usable device. With {@link Backend#CUDA} the failure is thrown.
         */
        private Cuda cudaOrNull(String fallback) {
            try {
                return Cuda.open();
            } catch (CudaUnavailableException e) {
                if (backend == Backend.CUDA) {
                    throw e;
                }
                LOG.info(() -> path.getFileName() + ": " + fallback + ": " + e.getMessage());
                return null;
            }
        }

        /** The CUDA engine; null (after one log line saying why) when AUTO cannot use it. */
        private CudaEngine openCuda(LlamaConfig c, LlamaWeights w, int ctx, int batch) throws UnsupportedModelException {
            Cuda cuda = cudaOrNull("running on the CPU");
            if (cuda == null) {
                return null;
            }
            try {
                return CudaEngine.open(cuda, c, w, ctx, batch, matVecInput());
            } catch (UnsupportedModelException e) {
                if (backend == Backend.CUDA) {
                    throw e;
                }
                LOG.info(() -> path.getFileName() + ": running on the CPU: " + e.getMessage());
                return null;
            }
        }
    }

    /** The file this model was opened from. */
    public Path path() {
        return path;
    }

    /** Hyper-parameters read from the file. */
    public LlamaConfig config() {
        return config;
    }

    /** Where this model computes: {@link Backend#CPU} or {@link Backend#CUDA}, never AUTO. */
    public Backend backend() {
        return backend;
    }

    /** A description of the engine for logs, e.g. "cuda (NVIDIA H100 80GB HBM3, 4.58 GiB of weights resident)". */
    public String engineName() {
        return engine.name();
    }

    /** Positions each new session holds. */
    public int contextLength() {
        return contextLength;
    }

    /** Bytes of weight matrices read per decoded token. */
    public long weightBytesPerToken() {
        return weights.bytesPerToken();
    }

    /** Where each layer lives, when the model was opened with a memory budget. */
    public Optional<TierPlan> tierPlan() {
        if (engine instanceof CudaEngine cuda) {
            return cuda.tierPlan();
        }
        return streamer == null ? Optional.empty() : Optional.of(streamer.plan());
    }

    /** What hybrid decode did since the model was opened; empty unless a CUDA run shares streamed blocks with the host. */
    public Optional<HybridStats> hybridStats() {
        return engine instanceof CudaEngine cuda ? cuda.hybridStats() : Optional.empty();
    }

    /** Layer streaming totals since the model was opened ({@link TierStats#ZERO} without a budget). */
    public TierStats tierStats() {
        if (engine instanceof CudaEngine cuda) {
            return cuda.tierStats();
        }
        return streamer == null ? TierStats.ZERO : streamer.stats();
    }

    /**
     * Feeds {@code token} to {@code session} with per-layer timings recorded: when each layer's
     * storage read, copy and compute ran.
     *
     * @throws IllegalStateException when the model was opened without a memory budget (nothing streams)
     */
    public LayerTimeline timeline(Session session, int token) {
        if (streamer == null) {
            throw new IllegalStateException(path.getFileName() + " was opened without vramBudget or ramBudget:"
                    + " no layer is streamed, so there is no timeline to record");
        }
        streamer.recordNextPass();
        session.feed(token);
        return streamer.lastTimeline().orElseThrow();
    }

    /** Threads used for matrix products on the CPU (0 on CUDA). */
    public int threads() {
        return threads;
    }

    /** Most prompt tokens one forward call takes. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * A fresh conversation with an empty KV cache of {@link #contextLength()} positions. Close it
     * when done: on CUDA it holds device memory (the model's close frees it too).
     */
    public Session newSession() {
        ensureOpen();
        return new Session(this, engine.newForwardPass(contextLength, batchSize), config, contextLength);
    }

    /** Runs {@code tokenIds} as one prompt in a fresh session; the logits that predict the next token. */
    public float[] evaluate(int[] tokenIds) {
        try (Session s = newSession()) {
            return s.feed(tokenIds);
        }
    }

    /** Runs {@code tokenIds} in a fresh session; the logits after every position (row i follows tokenIds[i]). */
    public float[][] evaluateAll(int[] tokenIds) {
        try (Session s = newSession()) {
            return s.feedAll(tokenIds);
        }
    }

    /**
     * The model's tokenizer (from the file's {@code tokenizer.ggml.*} metadata).
     *
     * @throws UnsupportedOperationException when the file has no tokenizer metadata (such a
     *     model can still {@link #evaluate} token ids)
     */
    public Tokenizer tokenizer() {
        if (tokenizer == null) {
            throw new UnsupportedOperationException(path.getFileName()
                    + " has no tokenizer (metadata key tokenizer.ggml.model is missing): feed token ids instead");
        }
        return tokenizer;
    }

    /**
     * Token ids of {@code text}; with {@code addSpecial}, BOS (and EOS) as the vocabulary asks.
     * Control tokens written in the text (e.g. {@code <|eot_id|>}) are recognised.
     */
    public int[] tokenize(String text, boolean addSpecial) {
        return tokenizer().encode(text, addSpecial, true);
    }

    /** Generates from {@code prompt} (BOS added as the vocabulary asks) and returns the generated text. */
    public String generate(String prompt, Generation generation) {
        StringBuilder out = new StringBuilder();
        generate(prompt, generation, out::append);
        return out.toString();
    }

    /**
     * Generates from {@code prompt}, handing each piece of text to {@code onText} as soon as it is
     * complete UTF-8 and cannot be part of a stop string. Stops after
     * {@link Generation#maxTokens()} tokens, at an end-of-generation token (unless
     * {@link Generation#ignoreEos()}), at a stop string (not emitted), or when the context is full.
     */
    public GenerationStats generate(String prompt, Generation generation, Consumer<String> onText) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(onText, "onText");
        int[] promptIds = tokenize(prompt, true);
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt is empty and the vocabulary adds no BOS token");
        }
        if (promptIds.length > contextLength) {
            throw new ContextFullException(contextLength, 0, promptIds.length);
        }
        try (Session session = newSession()) {
            return generate(session, promptIds, generation, onText);
        }
    }

    private GenerationStats generate(Session session, int[] promptIds, Generation generation, Consumer<String> onText) {
        // Plain greedy needs only the argmax, which the session computes where the logits are (on the GPU).
        boolean argmaxOnly = generation.isGreedy() && generation.repeatPenalty() == 1.0;
        Sampler sampler = new Sampler(generation);
        // Otherwise, where the backend computes the best candidates (CUDA) and the sampler needs no more
        // than those (greedy with a penalty, or top-k below the vocabulary), only they cross the bus.
        int vocab = config.vocabSize();
        int needed = sampler.candidatesNeeded(vocab);
        boolean onCandidates = !argmaxOnly && needed > 0 && needed <= session.maxCandidates();
        float[] candidateLogits = onCandidates ? new float[session.maxCandidates()] : null;
        int[] candidateIds = onCandidates ? new int[session.maxCandidates()] : null;
        int[] penalized = onCandidates ? new int[(int) Math.min(generation.repeatLastN(),
                (long) promptIds.length + generation.maxTokens())] : null;
        int candidates = 0;
        StreamingDecoder decoder = tokenizer().streamingDecoder();
        StopStringMatcher stops = new StopStringMatcher(generation.stopStrings());
        int maxTokens = generation.maxTokens();
        int[] history = Arrays.copyOf(promptIds, promptIds.length + maxTokens);
        int length = promptIds.length;

        long start = System.nanoTime();
        float[] logits = null;
        int pick = -1;
        if (argmaxOnly) {
            pick = session.feedArgmax(promptIds);
        } else if (onCandidates) {
            candidates = session.feedCandidates(promptIds, penalized,
                    sampler.penalizedIds(vocab, history, length, penalized), sampler.repeatPenalty(), candidateLogits,
                    candidateIds);
        } else {
            logits = session.feed(promptIds);
        }
        long promptNanos = System.nanoTime() - start;

        start = System.nanoTime();
        int generated = 0;
        int decoded = 0;
        GenerationStats.StopReason reason = GenerationStats.StopReason.MAX_TOKENS;
        while (generated < maxTokens) {
            int id = argmaxOnly ? pick
                    : onCandidates ? sampler.sampleCandidates(vocab, candidateLogits, candidateIds, candidates)
                    : sampler.sample(logits, history, length);
            if (!generation.ignoreEos() && tokenizer.isEndOfGeneration(id)) {
                reason = GenerationStats.StopReason.END_OF_GENERATION;
                break;
            }
            history[length++] = id;
            generated++;
            StopStringMatcher.Step step = stops.accept(decoder.accept(id));
            if (!step.text().isEmpty()) {
                onText.accept(step.text());
            }
            if (step.stopped()) {
                reason = GenerationStats.StopReason.STOP_STRING;
                break;
            }
            if (generated == maxTokens) {
                break;
            }
            if (session.position() >= session.contextLength()) {
                reason = GenerationStats.StopReason.CONTEXT_FULL;
                break;
            }
            if (argmaxOnly) {
                pick = session.feedArgmax(id);
            } else if (onCandidates) {
                candidates = session.feedCandidates(new int[] {id}, penalized,
                        sampler.penalizedIds(vocab, history, length, penalized), sampler.repeatPenalty(),
                        candidateLogits, candidateIds);
            } else {
                logits = session.feed(id);
            }
            decoded++;
        }
        if (!stops.stopped()) {
            StopStringMatcher.Step tail = stops.accept(decoder.flush());
            String rest = tail.text() + (tail.stopped() ? "" : stops.flush());
            if (tail.stopped()) {
                reason = GenerationStats.StopReason.STOP_STRING;
            }
            if (!rest.isEmpty()) {
                onText.accept(rest);
            }
        }
        long decodeNanos = System.nanoTime() - start;
        return new GenerationStats(promptIds.length, generated, promptNanos, decoded, decodeNanos, reason);
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("model " + path + " is closed");
        }
    }

    /**
     * Frees the device memory (CUDA) or stops the worker threads (CPU) and unmaps the file; sessions
     * of this model can no longer be used.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        engine.close();
        if (streamer != null) {
            try {
                streamer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing the weight sources of " + path, e);
            } finally {
                file.close();
            }
            return;
        }
        file.close();
    }
}
