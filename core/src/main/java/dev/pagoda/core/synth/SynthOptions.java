package dev.pagoda.core.synth;

import dev.pagoda.core.cpu.WorkerPool;
import java.util.Objects;

/**
 * What {@link ModelSynthesizer} makes.
 *
 * @param shape    the model's hyper-parameters
 * @param fileType the llama.cpp file type (decides the quant mix through {@link QuantMix})
 * @param seed     every weight derives from it; the same seed gives the same file
 * @param mode     how quantized matrices are made
 * @param threads  worker threads, 1 to {@link WorkerPool#MAX_THREADS} (the file does not depend on it)
 */
public record SynthOptions(ModelShape shape, FileType fileType, long seed, WeightMode mode, int threads) {

    /** Bytes of quantized data above which {@link #defaultMode} picks {@link WeightMode#FAST}. */
    public static final long EXACT_MODE_LIMIT_BYTES = 256L << 20;

    public SynthOptions {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(fileType, "fileType");
        Objects.requireNonNull(mode, "mode");
        // each thread gets two 1 MiB output buffers: 100,000 threads asked for 200 GB before writing a byte
        WorkerPool.checkThreadCount(threads);
    }

    /**
     * {@link WeightMode#EXACT} for files up to {@link #EXACT_MODE_LIMIT_BYTES} (they take seconds),
     * {@link WeightMode#FAST} above (exact K-quant fitting of tens of GB takes many minutes).
     */
    public static WeightMode defaultMode(ModelShape shape, FileType fileType) {
        long bytes = QuantMix.plan(shape, fileType).stream().mapToLong(PlannedTensor::byteSize).sum();
        return bytes <= EXACT_MODE_LIMIT_BYTES ? WeightMode.EXACT : WeightMode.FAST;
    }
}
