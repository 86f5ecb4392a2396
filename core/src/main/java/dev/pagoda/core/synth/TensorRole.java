package dev.pagoda.core.synth;

/**
 * What a tensor of a Llama GGUF is for; decides its name, its shape, how its values are drawn
 * and which quantization rule of llama-quantize applies to it.
 */
public enum TensorRole {
    ROPE_FREQS("rope_freqs.weight", false),
    TOKEN_EMBD("token_embd.weight", false),
    ATTN_NORM("attn_norm.weight", true),
    ATTN_Q("attn_q.weight", true),
    ATTN_K("attn_k.weight", true),
    ATTN_V("attn_v.weight", true),
    ATTN_OUTPUT("attn_output.weight", true),
    FFN_NORM("ffn_norm.weight", true),
    FFN_GATE("ffn_gate.weight", true),
    FFN_UP("ffn_up.weight", true),
    FFN_DOWN("ffn_down.weight", true),
    OUTPUT_NORM("output_norm.weight", false),
    OUTPUT("output.weight", false);

    private final String suffix;
    private final boolean perLayer;

    TensorRole(String suffix, boolean perLayer) {
        this.suffix = suffix;
        this.perLayer = perLayer;
    }

    /** Whether every layer has one ({@code blk.N.} prefix). */
    public boolean perLayer() {
        return perLayer;
    }

    /** The GGUF tensor name; {@code layer} is ignored for tensors outside the layers. */
    public String tensorName(int layer) {
        return perLayer ? "blk." + layer + "." + suffix : suffix;
    }

    /** RMSNorm weight vectors: drawn near 1 and never quantized. */
    public boolean isNorm() {
        return this == ATTN_NORM || this == FFN_NORM || this == OUTPUT_NORM;
    }
}
