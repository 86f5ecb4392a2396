package dev.pagoda.core.synth;

/** How {@code pagoda synth} makes the bytes of quantized matrices. */
public enum WeightMode {
    /**
     * Draw Gaussian-like float weights and quantize them with ggml's reference quantizers (what
     * llama-quantize would write for those floats). Q4_K/Q5_K/Q6_K fitting is slow: about a
     * hundred ns per value per core.
     */
    EXACT,
    /**
     * Write random but valid blocks directly (random quant bits, sane f16 scales; see the class
     * comment of {@code RandomBlocks}): disk speed. F16 and F32 tensors are drawn as floats in
     * both modes.
     */
    FAST
}
