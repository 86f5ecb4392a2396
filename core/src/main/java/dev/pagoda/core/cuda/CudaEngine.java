package dev.pagoda.core.cuda;

import dev.pagoda.core.UnsupportedModelException;
import dev.pagoda.core.backend.Engine;
import dev.pagoda.core.backend.ForwardPass;
import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.core.hybrid.HybridStats;
import dev.pagoda.core.hybrid.SplitController;
import dev.pagoda.core.llama.LlamaLayerWeights;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaWeights;
import dev.pagoda.core.tier.DirectFileSource;
import dev.pagoda.core.tier.Tier;
import dev.pagoda.core.tier.TierPlan;
import dev.pagoda.core.tier.TierStats;
import dev.pagoda.core.tier.WeightSource;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.MemoryInfo;
import dev.pagoda.cuda.kernels.Attention;
import dev.pagoda.cuda.kernels.MatVecInput;
import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.GgufFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A Llama model resident on one GPU: every weight copied once to device memory by
 * {@link ResidentWeights}, run by {@link CudaLlamaGraph}; each session gets a {@link CudaForwardPass}
 * with its own f16 KV cache. Owns the {@link Cuda} handle it was given. Thread-safe.
 */
public final class CudaEngine implements Engine {
    /** Device memory left free beyond the model and one session: the driver, module images, graphs. */
    static final long HEADROOM_BYTES = 512L << 20;

    private final Cuda cuda;
    private final CudaKernels kernels;
    private final ResidentWeights weights;
    private final CudaLlamaGraph graph;
    private final Set<CudaForwardPass> open = new LinkedHashSet<>();
    private volatile boolean closed;

    private final CudaLayerStreamer streamer;  // null when every block is resident

    private CudaEngine(Cuda cuda, CudaKernels kernels, ResidentWeights weights, LlamaConfig config) {
        this(cuda, kernels, weights, null, config);
    }

    private CudaEngine(Cuda cuda, CudaKernels kernels, ResidentWeights weights, CudaLayerStreamer streamer,
            LlamaConfig config) {
        this.cuda = cuda;
        this.kernels = kernels;
        this.weights = weights;
        this.streamer = streamer;
        this.graph = new CudaLlamaGraph(config, kernels, weights, streamer == null ? weights : streamer);
    }

    /**
     * Places the model on {@code cuda}'s device within memory budgets: the blocks {@code plan} puts in
     * tier A are uploaded, the others streamed every pass by a {@link CudaLayerStreamer} (tier B from
     * pinned host memory, tier C read from the file with O_DIRECT through {@code readThreads} threads).
     * The engine owns {@code cuda} (closed here on failure).
     *
     * @throws UnsupportedModelException when the kernels cannot run this model
     */
    public static CudaEngine openStreaming(Cuda cuda, GgufFile file, LlamaConfig c, LlamaWeights w, TierPlan plan,
            int readThreads) throws IOException {
        return openStreaming(cuda, file, c, w, plan, readThreads, null, 0, MatVecInput.FLOAT32);
    }

    /**
     * {@link #openStreaming(Cuda, GgufFile, LlamaConfig, LlamaWeights, TierPlan, int)} with hybrid decode
     * (docs/hybrid.md): every tier B block's rows shared between the device and {@code hostThreads}
     * host threads as {@code share} decides, in one-token passes. A null {@code share} streams whole
     * blocks to the device. {@code input} is how the decode matvec kernels take x ({@link MatVecInput}).
     */
    public static CudaEngine openStreaming(Cuda cuda, GgufFile file, LlamaConfig c, LlamaWeights w, TierPlan plan,
            int readThreads, SplitController share, int hostThreads, MatVecInput input) throws IOException {
        if (share != null && hostThreads < 1) {
            throw new IllegalArgumentException("hybrid decode needs at least 1 host thread, got " + hostThreads);
        }
        List<WeightSource> sources = new ArrayList<>();
        try {
            Optional<String> why = unsupported(c, w);
            if (why.isPresent()) {
                throw new UnsupportedModelException("the CUDA backend cannot run this model: " + why.get());
            }
            CudaKernels kernels = new CudaKernels(cuda, input);
            ResidentWeights resident = null;
            try {
                resident = ResidentWeights.upload(cuda, w, layer -> plan.tier(layer) == Tier.A);
                CudaLayerStreamer streamer = new CudaLayerStreamer(cuda, plan, file, w, resident,
                        path -> new DirectFileSource(path, readThreads), sources,
                        share == null ? null : new CudaLayerStreamer.Sharing(kernels.matVec, hostThreads, share));
                return new CudaEngine(cuda, kernels, resident, streamer, c);
            } catch (IOException | RuntimeException e) {
                if (resident != null) {
                    resident.close();
                }
                kernels.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            cuda.close();
            throw e;
        }
    }

    /** Where each block lives, when the engine streams. */
    public Optional<TierPlan> tierPlan() {
        return streamer == null ? Optional.empty() : Optional.of(streamer.plan());
    }

    /**
     * The weight types of the blocks {@code plan} puts in pinned host memory (tier B): the ones hybrid
     * decode shares with the host, so the ones its calibration must cover.
     */
    public static Set<GgmlType> sharedTypes(TierPlan plan, LlamaWeights w) {
        Set<GgmlType> types = EnumSet.noneOf(GgmlType.class);
        for (int l = 0; l < plan.layerCount(); l++) {
            if (plan.tier(l) == Tier.B) {
                LlamaLayerWeights lw = w.layers().get(l);
                for (WeightTensor t : List.of(lw.attnQ(), lw.attnK(), lw.attnV(), lw.attnOutput(), lw.ffnGate(),
                        lw.ffnUp(), lw.ffnDown())) {
                    types.add(t.type());
                }
            }
        }
        return types;
    }

    /** What hybrid decode did so far; empty when the engine shares no block with the host. */
    public Optional<HybridStats> hybridStats() {
        return streamer == null ? Optional.empty() : streamer.hybridStats();
    }

    /** Streaming totals so far ({@link TierStats#ZERO} when every block is resident). */
    public TierStats tierStats() {
        return streamer == null ? TierStats.ZERO : streamer.stats();
    }

    /**
     * Why this model cannot run on the CUDA kernels at all (an architecture detail or a tensor format
     * they lack), or empty when it can.
     */
    public static Optional<String> unsupported(LlamaConfig c, LlamaWeights w) {
        if (c.keyLength() != c.valueLength()) {
            return Optional.of("key head width " + c.keyLength() + " differs from value head width "
                    + c.valueLength() + " (the attention kernel uses one head width)");
        }
        if (c.ropeDimensionCount() != c.keyLength()) {
            return Optional.of("rope.dimension_count " + c.ropeDimensionCount()
                    + " rotates part of the head; the rope kernel rotates all " + c.keyLength());
        }
        if (c.ropeFreqScale() != 1f) {
            return Optional.of("linear rope scaling (scale " + c.ropeFreqScale() + ") is not in the rope kernel");
        }
        if (c.keyLength() % 2 != 0 || c.keyLength() > Attention.MAX_HEAD_DIM) {
            return Optional.of("head width " + c.keyLength() + " must be even and at most " + Attention.MAX_HEAD_DIM);
        }
        return ResidentWeights.unsupported(w);
    }

    /** Device bytes the weights plus one session of {@code contextLength} positions and batches of {@code maxBatch} take. */
    public static long residentBytes(LlamaConfig c, LlamaWeights w, int contextLength, int maxBatch) {
        return ResidentWeights.deviceBytes(w) + DeviceKvCache.bytes(c, contextLength)
                + CudaActivations.bytes(c, maxBatch);
    }

    /**
     * Uploads the model to {@code cuda}'s device, which the engine then owns (it is closed with the
     * engine, or here when the model cannot be placed).
     *
     * @throws UnsupportedModelException when the kernels cannot run this model or it does not fit in
     *     the device's free memory together with one session
     */
    public static CudaEngine open(Cuda cuda, LlamaConfig c, LlamaWeights w, int contextLength, int maxBatch)
            throws UnsupportedModelException {
        return open(cuda, c, w, contextLength, maxBatch, MatVecInput.FLOAT32);
    }

    /**
     * {@link #open(Cuda, LlamaConfig, LlamaWeights, int, int)} with the decode matvec kernels taking x as
     * {@code input} says ({@link MatVecInput}; the short form takes FLOAT32).
     */
    public static CudaEngine open(Cuda cuda, LlamaConfig c, LlamaWeights w, int contextLength, int maxBatch,
            MatVecInput input) throws UnsupportedModelException {
        try {
            Optional<String> why = unsupported(c, w);
            if (why.isPresent()) {
                throw new UnsupportedModelException("the CUDA backend cannot run this model: " + why.get());
            }
            MemoryInfo memory = cuda.memoryInfo();
            long need = residentBytes(c, w, contextLength, maxBatch) + HEADROOM_BYTES;
            if (need > memory.freeBytes()) {
                throw new UnsupportedModelException(String.format(Locale.ROOT,
                        "the model does not fit on %s: it needs %.2f GiB resident (weights, a %d-position f16 KV "
                                + "cache, scratch for %d-token batches, %d MiB headroom), %.2f GiB are free",
                        cuda.deviceName(), need / GIB, contextLength, maxBatch, HEADROOM_BYTES >> 20,
                        memory.freeBytes() / GIB));
            }
            CudaKernels kernels = new CudaKernels(cuda, input);
            try {
                return new CudaEngine(cuda, kernels, ResidentWeights.upload(cuda, w), c);
            } catch (RuntimeException e) {
                kernels.close();
                throw e;
            }
        } catch (UnsupportedModelException | RuntimeException e) {
            cuda.close();
            throw e;
        }
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    @Override
    public String name() {
        if (streamer != null) {
            TierPlan p = streamer.plan();
            return String.format(Locale.ROOT, "cuda (%s, streaming: %d blocks resident, %d from pinned RAM, %d from storage)",
                    cuda.deviceName(), p.layerCount(Tier.A), p.layerCount(Tier.B), p.layerCount(Tier.C));
        }
        return String.format(Locale.ROOT, "cuda (%s, %.2f GiB of weights resident)", cuda.deviceName(),
                weights.bytes() / GIB);
    }

    /** The device this engine runs on. */
    public Cuda cuda() {
        return cuda;
    }

    @Override
    public ForwardPass newForwardPass(int contextLength, int maxBatch) {
        ensureOpen();
        CudaForwardPass pass = new CudaForwardPass(this, cuda, graph, contextLength, maxBatch);
        synchronized (open) {
            open.add(pass);
        }
        return pass;
    }

    void forget(CudaForwardPass pass) {
        synchronized (open) {
            open.remove(pass);
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA engine is closed");
        }
    }

    /** Frees every open session's device memory, the weights and the kernels, then releases the device. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        List<CudaForwardPass> passes;
        synchronized (open) {
            passes = new ArrayList<>(open);
        }
        passes.forEach(CudaForwardPass::close);
        closed = true;
        if (streamer != null) {
            streamer.close();
        }
        weights.close();
        kernels.close();
        cuda.close();
    }
}
