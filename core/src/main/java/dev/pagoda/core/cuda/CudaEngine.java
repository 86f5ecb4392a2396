package dev.pagoda.core.cuda;

import dev.pagoda.core.UnsupportedModelException;
import dev.pagoda.core.backend.Engine;
import dev.pagoda.core.backend.ForwardPass;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaWeights;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.MemoryInfo;
import dev.pagoda.cuda.kernels.Attention;
import java.util.ArrayList;
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

    private CudaEngine(Cuda cuda, CudaKernels kernels, ResidentWeights weights, LlamaConfig config) {
        this.cuda = cuda;
        this.kernels = kernels;
        this.weights = weights;
        this.graph = new CudaLlamaGraph(config, kernels, weights, weights);
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
        if (c.embeddingLength() % 32 != 0) {
            return Optional.of("embedding_length " + c.embeddingLength() + " is not a multiple of 32");
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
            CudaKernels kernels = new CudaKernels(cuda);
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
        weights.close();
        kernels.close();
        cuda.close();
    }
}
