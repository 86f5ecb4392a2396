package dev.pagoda.core.synth;

import java.util.Objects;

/**
 * What {@link ModelSynthesizer} makes.
 *
 * @param shape    the model's hyper-parameters
 * @param fileType the llama.cpp file type (decides the quant mix through {@link QuantMix})
 * @param seed     every weight derives from it; the same seed gives the same file
 * @param mode     how quantized matrices are made
 * @param threads  worker threads (the file does not depend on it)
 */
public record SynthOptions(ModelShape shape, FileType fileType, long seed, WeightMode mode, int threads) {

    /** Bytes of quantized data above which {@link #defaultMode} picks {@link WeightMode#FAST}. */
    public static final long EXACT_MODE_LIMIT_BYTES = 256L << 20;

    public SynthOptions {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(fileType, "fileType");
        Objects.requireNonNull(mode, "mode");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
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
