package dev.pagoda.core.synth;

import dev.pagoda.gguf.GgmlType;
import java.util.ArrayList;
import java.util.List;

/**
 * Which ggml type each tensor of a Llama model gets for a {@link FileType}, following llama.cpp's
 * {@code llama_tensor_get_type} (src/llama-quant.cpp) as {@code llama-quantize} applies it without
 * an importance matrix, overrides or {@code --pure}:
 *
 * <ul>
 *   <li>1-D tensors (the RMSNorm weights, {@code rope_freqs.weight}) are never quantized: F32.
 *   <li>{@link FileType#F16} / {@link FileType#F32}: every matrix F16 / F32 (not quantized types, so no rule runs).
 *   <li>{@code output.weight}, or {@code token_embd.weight} when the embeddings are tied (no
 *       {@code output.weight}): Q8_0 stays Q8_0, anything else becomes Q6_K (Q8_0 if the row length
 *       is not a whole number of blocks).
 *   <li>{@code attn_v}, Q4_K_M: Q6_K where {@link #usesMoreBits} holds for the layer; then, for a
 *       model llama.cpp classes as 70B (80 layers, GQA), a Q4_K (or Q3_K) {@code attn_v} becomes
 *       Q5_K, because eight query heads share it and it is eight times smaller than {@code attn_q}.
 *   <li>{@code ffn_down}, Q4_K_M: Q6_K where {@link #usesMoreBits} holds.
 *   <li>Everything else keeps the file type's base type ({@code token_embd} Q4_K in Q4_K_M).
 *   <li>Fallback when a row is not a whole number of blocks: Q4_K → Q5_0, Q5_K → Q5_1, Q6_K → Q8_0,
 *       and F16 if even that does not fit.
 * </ul>
 *
 * <p>llama.cpp counts {@code attn_v} and {@code ffn_down} tensors in file order; a Llama has one of
 * each per layer, so the count is the layer index.
 */
public final class QuantMix {

    private QuantMix() {
    }

    /**
     * llama.cpp's {@code use_more_bits}: the first eighth of the layers, the last eighth, and every
     * third layer in between (counting from the end of the first eighth).
     */
    public static boolean usesMoreBits(int layer, int layers) {
        return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
    }

    /**
     * Every tensor of {@code shape} in file order, with its type for {@code fileType}: {@code
     * rope_freqs.weight} (when the shape has rope scaling), {@code token_embd.weight}, per layer
     * {@code attn_norm, attn_q, attn_k, attn_v, attn_output, ffn_norm, ffn_gate, ffn_up, ffn_down},
     * then {@code output_norm.weight} and {@code output.weight} (absent with tied embeddings).
     */
    public static List<PlannedTensor> plan(ModelShape shape, FileType fileType) {
        List<PlannedTensor> out = new ArrayList<>();
        if (shape.ropeScaling() != null) {
            add(out, shape, fileType, TensorRole.ROPE_FREQS, -1, shape.headDimension() / 2);
        }
        add(out, shape, fileType, TensorRole.TOKEN_EMBD, -1, shape.embeddingLength(), shape.vocabSize());
        int embd = shape.embeddingLength();
        for (int layer = 0; layer < shape.blockCount(); layer++) {
            add(out, shape, fileType, TensorRole.ATTN_NORM, layer, embd);
            add(out, shape, fileType, TensorRole.ATTN_Q, layer, embd, embd);
            add(out, shape, fileType, TensorRole.ATTN_K, layer, embd, shape.kvWidth());
            add(out, shape, fileType, TensorRole.ATTN_V, layer, embd, shape.kvWidth());
            add(out, shape, fileType, TensorRole.ATTN_OUTPUT, layer, embd, embd);
            add(out, shape, fileType, TensorRole.FFN_NORM, layer, embd);
            add(out, shape, fileType, TensorRole.FFN_GATE, layer, embd, shape.feedForwardLength());
            add(out, shape, fileType, TensorRole.FFN_UP, layer, embd, shape.feedForwardLength());
            add(out, shape, fileType, TensorRole.FFN_DOWN, layer, shape.feedForwardLength(), embd);
        }
        add(out, shape, fileType, TensorRole.OUTPUT_NORM, -1, embd);
        if (!shape.tiedEmbeddings()) {
            add(out, shape, fileType, TensorRole.OUTPUT, -1, embd, shape.vocabSize());
        }
        return List.copyOf(out);
    }

    private static void add(List<PlannedTensor> out, ModelShape shape, FileType fileType, TensorRole role, int layer,
            long... dims) {
        GgmlType type = dims.length < 2 ? GgmlType.F32 : matrixType(role, layer, (int) dims[0], shape, fileType);
        out.add(new PlannedTensor(role.tensorName(layer), role, layer, dims, type));
    }

    /**
     * The type of a matrix (a tensor of two or more dimensions) with rows of {@code rowLength}.
     *
     * @throws IllegalArgumentException when no type fits the row length, as llama-quantize fails
     */
    public static GgmlType matrixType(TensorRole role, int layer, int rowLength, ModelShape shape, FileType fileType) {
        GgmlType type = fileType.baseType();
        if (fileType == FileType.F16 || fileType == FileType.F32) {
            return type;
        }
        boolean isOutput = role == TensorRole.OUTPUT || (shape.tiedEmbeddings() && role == TensorRole.TOKEN_EMBD);
        if (isOutput) {
            if (rowLength % type.blockSize() != 0) {
                type = GgmlType.Q8_0;
            } else if (type != GgmlType.Q8_0) {
                type = GgmlType.Q6_K;
            }
        } else if (role == TensorRole.ATTN_V) {
            if (fileType == FileType.Q4_K_M && usesMoreBits(layer, shape.blockCount())) {
                type = GgmlType.Q6_K;
            }
            if (shape.isLlama70BClass() && (type == GgmlType.Q3_K || type == GgmlType.Q4_K)) {
                type = GgmlType.Q5_K;
            }
        } else if (role == TensorRole.FFN_DOWN) {
            if (fileType == FileType.Q4_K_M && usesMoreBits(layer, shape.blockCount())) {
                type = GgmlType.Q6_K;
            }
        }
        return fallback(type, rowLength, role.tensorName(layer));
    }

    private static GgmlType fallback(GgmlType type, int rowLength, String name) {
        if (rowLength % type.blockSize() == 0) {
            return type;
        }
        GgmlType compatible = switch (type) {
            case Q4_K -> GgmlType.Q5_0;
            case Q5_K -> GgmlType.Q5_1;
            case Q6_K -> GgmlType.Q8_0;
            default -> throw new IllegalArgumentException(name + ": rows of " + rowLength + " are not a whole number of "
                    + type.blockSize() + "-value " + type + " blocks and llama.cpp defines no fallback for " + type);
        };
        return rowLength % compatible.blockSize() == 0 ? compatible : GgmlType.F16;
    }
}
