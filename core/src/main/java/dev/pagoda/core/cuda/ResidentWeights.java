package dev.pagoda.core.cuda;

import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.core.llama.LlamaLayerWeights;
import dev.pagoda.core.llama.LlamaWeights;
import dev.pagoda.core.tier.MappedPages;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.kernels.WeightType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Every weight of a model copied once into device memory: matrices as their GGUF bytes, norm and
 * rope-factor vectors as float32. Layers are always present, so {@link #acquire} is a look-up.
 * A tied output matrix (output = token_embd) is uploaded once.
 */
public final class ResidentWeights implements LayerWeightSource, AutoCloseable {
    private final List<DeviceBuffer> owned;
    private final DeviceTensor tokenEmbd;   // (vocab, n_embd)
    private final DeviceBuffer outputNorm;  // (n_embd) float32
    private final DeviceTensor output;      // (vocab, n_embd)
    private final DeviceBuffer ropeFreqs;   // (rope_dim / 2) float32, or null
    private final List<CudaLayerWeights> layers;
    private final long bytes;

    private ResidentWeights(List<DeviceBuffer> owned, DeviceTensor tokenEmbd, DeviceBuffer outputNorm,
            DeviceTensor output, DeviceBuffer ropeFreqs, List<CudaLayerWeights> layers) {
        this.owned = owned;
        this.tokenEmbd = tokenEmbd;
        this.outputNorm = outputNorm;
        this.output = output;
        this.ropeFreqs = ropeFreqs;
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
        this.bytes = owned.stream().mapToLong(DeviceBuffer::byteSize).sum();
    }

    /** The kernels' format for a GGUF tensor type, if they have one. */
    static Optional<WeightType> weightType(dev.pagoda.gguf.GgmlType type) {
        for (WeightType w : WeightType.values()) {
            if (w.name().equals(type.name())) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    /** Why these weights cannot be used by the kernels, or empty when they can. */
    static Optional<String> unsupported(LlamaWeights weights) {
        List<WeightTensor> all = new ArrayList<>();
        all.add(weights.tokenEmbd());
        all.add(weights.output());
        for (LlamaLayerWeights l : weights.layers()) {
            all.addAll(List.of(l.attnQ(), l.attnK(), l.attnV(), l.attnOutput(), l.ffnGate(), l.ffnUp(), l.ffnDown()));
        }
        for (WeightTensor t : all) {
            if (weightType(t.type()).isEmpty()) {
                return Optional.of("tensor " + t.name() + " is " + t.type()
                        + ", which the CUDA kernels do not read (they read F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q5_K, Q6_K)");
            }
            WeightType type = weightType(t.type()).orElseThrow();
            if (!type.anyWidth() && !type.wholeUnits(t.cols())) {
                return Optional.of("tensor " + t.name() + " has rows of " + t.cols() + " values; the CUDA kernels read "
                        + t.type() + " rows in multiples of " + Math.max(32, type.blockElements()));
            }
        }
        return Optional.empty();
    }

    /** Device bytes {@link #upload} will allocate for these weights. */
    static long deviceBytes(LlamaWeights weights) {
        long sum = weights.tokenEmbd().byteSize() + 4L * weights.outputNorm().length;
        if (weights.output() != weights.tokenEmbd()) {
            sum += weights.output().byteSize();
        }
        if (weights.ropeFreqs() != null) {
            sum += 4L * weights.ropeFreqs().length;
        }
        for (LlamaLayerWeights l : weights.layers()) {
            sum += l.matrixBytes() + 4L * (l.attnNorm().length + l.ffnNorm().length);
        }
        return sum;
    }

    /** Copies every weight to the device; on failure frees what was already copied. */
    static ResidentWeights upload(Cuda cuda, LlamaWeights weights) {
        return upload(cuda, weights, layer -> true);
    }

    /**
     * Copies the non-layer weights and the blocks {@code resident} accepts to the device (the others
     * are streamed, see {@link CudaLayerStreamer}); on failure frees what was already copied.
     */
    static ResidentWeights upload(Cuda cuda, LlamaWeights weights, IntPredicate resident) {
        List<DeviceBuffer> owned = new ArrayList<>();
        try {
            Map<WeightTensor, DeviceTensor> uploaded = new IdentityHashMap<>();
            DeviceTensor tokenEmbd = matrix(cuda, weights.tokenEmbd(), owned, uploaded);
            DeviceBuffer outputNorm = vector(cuda, weights.outputNorm(), owned);
            DeviceTensor output = matrix(cuda, weights.output(), owned, uploaded);
            DeviceBuffer ropeFreqs = weights.ropeFreqs() == null ? null : vector(cuda, weights.ropeFreqs(), owned);
            List<CudaLayerWeights> layers = new ArrayList<>();
            for (int n = 0; n < weights.layers().size(); n++) {
                LlamaLayerWeights l = weights.layers().get(n);
                if (!resident.test(n)) {
                    layers.add(null);
                    continue;
                }
                layers.add(new CudaLayerWeights(
                        vector(cuda, l.attnNorm(), owned),
                        matrix(cuda, l.attnQ(), owned, uploaded),
                        matrix(cuda, l.attnK(), owned, uploaded),
                        matrix(cuda, l.attnV(), owned, uploaded),
                        matrix(cuda, l.attnOutput(), owned, uploaded),
                        vector(cuda, l.ffnNorm(), owned),
                        matrix(cuda, l.ffnGate(), owned, uploaded),
                        matrix(cuda, l.ffnUp(), owned, uploaded),
                        matrix(cuda, l.ffnDown(), owned, uploaded)));
            }
            return new ResidentWeights(owned, tokenEmbd, outputNorm, output, ropeFreqs, layers);
        } catch (RuntimeException e) {
            owned.forEach(DeviceBuffer::close);
            throw e;
        }
    }

    private static DeviceTensor matrix(Cuda cuda, WeightTensor t, List<DeviceBuffer> owned,
            Map<WeightTensor, DeviceTensor> uploaded) {
        DeviceTensor done = uploaded.get(t);
        if (done != null) {
            return done;
        }
        WeightType type = weightType(t.type()).orElseThrow(
                () -> new IllegalArgumentException(t.name() + ": " + t.type() + " has no CUDA kernel"));
        DeviceBuffer buffer = cuda.allocate(t.byteSize());
        owned.add(buffer);
        buffer.copyFromHost(t.data().asSlice(0, t.byteSize()));
        MappedPages.release(t.data());  // on the device now: keep the file mapping's pages out of the process's RSS
        DeviceTensor d = new DeviceTensor(t.name(), type, t.rows(), t.cols(), buffer);
        uploaded.put(t, d);
        return d;
    }

    private static DeviceBuffer vector(Cuda cuda, float[] values, List<DeviceBuffer> owned) {
        DeviceBuffer buffer = cuda.allocate(4L * values.length);
        owned.add(buffer);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocateFrom(ValueLayout.JAVA_FLOAT, values);
            buffer.copyFromHost(host);
        }
        return buffer;
    }

    DeviceTensor tokenEmbd() {
        return tokenEmbd;
    }

    DeviceBuffer outputNorm() {
        return outputNorm;
    }

    DeviceTensor output() {
        return output;
    }

    /** rope_freqs.weight on the device, or null when the model has none. */
    DeviceBuffer ropeFreqs() {
        return ropeFreqs;
    }

    /** The kernels' float32 copy of a norm vector, owned by the caller. */
    static DeviceBuffer vector(Cuda cuda, float[] values) {
        List<DeviceBuffer> owned = new ArrayList<>(1);
        return vector(cuda, values, owned);
    }

    /** Bytes of device memory held. */
    long bytes() {
        return bytes;
    }

    @Override
    public CudaLayerWeights acquire(int layer, CudaStream stream) {
        CudaLayerWeights w = layers.get(layer);
        if (w == null) {
            throw new IllegalStateException("blk." + layer + " is not resident");
        }
        return w;
    }

    @Override
    public void release(int layer, CudaStream stream) {
        // resident: nothing to recycle
    }

    @Override
    public boolean fixedAddresses() {
        return true;
    }

    @Override
    public void close() {
        owned.forEach(DeviceBuffer::close);
    }
}
