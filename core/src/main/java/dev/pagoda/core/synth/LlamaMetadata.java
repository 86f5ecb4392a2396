package dev.pagoda.core.synth;

import dev.pagoda.gguf.GgufWriter;
import dev.pagoda.gguf.MetadataValue;

/**
 * The key/values llama.cpp's converter and llama-quantize write for a Llama 3 model, filled from a
 * {@link ModelShape}, a {@link FileType} and a {@link SyntheticVocabulary}.
 */
final class LlamaMetadata {
    /** RMSNorm epsilon of every Llama 3 model. */
    static final float RMS_EPSILON = 1e-5f;
    static final int ALIGNMENT = 32;
    /** ggml's {@code GGML_QNT_VERSION}. */
    static final int QUANTIZATION_VERSION = 2;

    /** A Llama 3-style chat template (written here, in the form llama.cpp recognises as llama3). */
    static final String CHAT_TEMPLATE = "{{- bos_token }}{%- for message in messages %}"
            + "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim"
            + " + '<|eot_id|>' }}{%- endfor %}{%- if add_generation_prompt %}"
            + "{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}";

    private LlamaMetadata() {
    }

    static void putAll(GgufWriter w, ModelShape shape, FileType fileType, SyntheticVocabulary vocab) {
        w.put("general.architecture", MetadataValue.string("llama"));
        w.put("general.type", MetadataValue.string("model"));
        w.put("general.name", MetadataValue.string("pagoda-synth " + shape.name()));
        w.put("llama.block_count", MetadataValue.uint32(shape.blockCount()));
        w.put("llama.context_length", MetadataValue.uint32(shape.contextLength()));
        w.put("llama.embedding_length", MetadataValue.uint32(shape.embeddingLength()));
        w.put("llama.feed_forward_length", MetadataValue.uint32(shape.feedForwardLength()));
        w.put("llama.attention.head_count", MetadataValue.uint32(shape.headCount()));
        w.put("llama.attention.head_count_kv", MetadataValue.uint32(shape.headCountKv()));
        w.put("llama.rope.freq_base", MetadataValue.float32((float) shape.ropeTheta()));
        w.put("llama.attention.layer_norm_rms_epsilon", MetadataValue.float32(RMS_EPSILON));
        w.put("general.file_type", MetadataValue.uint32(fileType.id()));
        w.put("llama.vocab_size", MetadataValue.uint32(shape.vocabSize()));
        w.put("llama.rope.dimension_count", MetadataValue.uint32(shape.headDimension()));
        w.put("tokenizer.ggml.model", MetadataValue.string("gpt2"));
        w.put("tokenizer.ggml.pre", MetadataValue.string("llama-bpe"));
        w.put("tokenizer.ggml.tokens", MetadataValue.stringArray(vocab.tokens()));
        w.put("tokenizer.ggml.token_type", MetadataValue.int32Array(vocab.tokenTypes()));
        w.put("tokenizer.ggml.merges", MetadataValue.stringArray(vocab.merges()));
        w.put("tokenizer.ggml.bos_token_id", MetadataValue.uint32(vocab.bos()));
        w.put("tokenizer.ggml.eos_token_id", MetadataValue.uint32(vocab.eos()));
        w.put("tokenizer.ggml.add_bos_token", MetadataValue.bool(true));
        w.put("tokenizer.chat_template", MetadataValue.string(CHAT_TEMPLATE));
        w.put("general.quantization_version", MetadataValue.uint32(QUANTIZATION_VERSION));
        w.put("general.alignment", MetadataValue.uint32(ALIGNMENT));
    }
}
