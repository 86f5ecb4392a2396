package dev.pagoda.bench.gguf;

import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.GgufWriter;
import dev.pagoda.gguf.MetadataValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A GGUF with the header of Llama-3.1-70B at Q4_K_M: its 724 tensors with their real shapes and a
 * realistic metadata block (128 256 token strings, token types, 280 147 BPE merges). The tensor
 * data is left as holes, so the ~40 GB file takes only its ~6 MB header on disk.
 */
final class Llama70BLikeFile {
    static final int N_EMBD = 8192;
    static final int N_HEAD = 64;
    static final int N_HEAD_KV = 8;
    static final int N_FF = 28672;
    static final int N_VOCAB = 128256;
    static final int N_LAYER = 80;
    static final int N_MERGES = 280147;

    private Llama70BLikeFile() {
    }

    static void write(Path path) throws IOException {
        Random random = new Random(70);
        String[] tokens = new String[N_VOCAB];
        int[] tokenTypes = new int[N_VOCAB];
        for (int i = 0; i < N_VOCAB; i++) {
            tokens[i] = randomPiece(random, i);
            tokenTypes[i] = i >= 128000 ? 3 : 1;
        }
        String[] merges = new String[N_MERGES];
        for (int i = 0; i < N_MERGES; i++) {
            merges[i] = randomPiece(random, i) + " " + randomPiece(random, i + 1);
        }
        int headDim = N_EMBD / N_HEAD;
        GgufWriter w = new GgufWriter()
                .put("general.architecture", MetadataValue.string("llama"))
                .put("general.type", MetadataValue.string("model"))
                .put("general.name", MetadataValue.string("Meta Llama 3.1 70B Instruct"))
                .put("general.size_label", MetadataValue.string("70B"))
                .put("general.license", MetadataValue.string("llama3.1"))
                .put("general.tags", MetadataValue.stringArray("facebook", "meta", "pytorch", "llama", "llama-3", "text-generation"))
                .put("general.languages", MetadataValue.stringArray("en", "de", "fr", "it", "pt", "hi", "es", "th"))
                .put("llama.block_count", MetadataValue.uint32(N_LAYER))
                .put("llama.context_length", MetadataValue.uint32(131072))
                .put("llama.embedding_length", MetadataValue.uint32(N_EMBD))
                .put("llama.feed_forward_length", MetadataValue.uint32(N_FF))
                .put("llama.attention.head_count", MetadataValue.uint32(N_HEAD))
                .put("llama.attention.head_count_kv", MetadataValue.uint32(N_HEAD_KV))
                .put("llama.rope.freq_base", MetadataValue.float32(500000f))
                .put("llama.attention.layer_norm_rms_epsilon", MetadataValue.float32(1e-5f))
                .put("llama.attention.key_length", MetadataValue.uint32(headDim))
                .put("llama.attention.value_length", MetadataValue.uint32(headDim))
                .put("general.file_type", MetadataValue.uint32(15))
                .put("llama.vocab_size", MetadataValue.uint32(N_VOCAB))
                .put("llama.rope.dimension_count", MetadataValue.uint32(headDim))
                .put("tokenizer.ggml.model", MetadataValue.string("gpt2"))
                .put("tokenizer.ggml.pre", MetadataValue.string("llama-bpe"))
                .put("tokenizer.ggml.tokens", MetadataValue.stringArray(tokens))
                .put("tokenizer.ggml.token_type", MetadataValue.int32Array(tokenTypes))
                .put("tokenizer.ggml.merges", MetadataValue.stringArray(merges))
                .put("tokenizer.ggml.bos_token_id", MetadataValue.uint32(128000))
                .put("tokenizer.ggml.eos_token_id", MetadataValue.uint32(128009))
                .put("tokenizer.chat_template", MetadataValue.string("{{- bos_token }}".repeat(200)))
                .put("general.quantization_version", MetadataValue.uint32(2));

        GgufWriter.TensorData hole = (channel, position, byteSize) -> { };
        int kvDim = headDim * N_HEAD_KV;
        w.addTensor("rope_freqs.weight", GgmlType.F32, new long[] {headDim / 2}, hole);
        w.addTensor("token_embd.weight", GgmlType.Q4_K, new long[] {N_EMBD, N_VOCAB}, hole);
        for (int l = 0; l < N_LAYER; l++) {
            String p = "blk." + l + ".";
            w.addTensor(p + "attn_norm.weight", GgmlType.F32, new long[] {N_EMBD}, hole);
            w.addTensor(p + "attn_q.weight", GgmlType.Q4_K, new long[] {N_EMBD, N_EMBD}, hole);
            w.addTensor(p + "attn_k.weight", GgmlType.Q4_K, new long[] {N_EMBD, kvDim}, hole);
            w.addTensor(p + "attn_v.weight", GgmlType.Q6_K, new long[] {N_EMBD, kvDim}, hole);
            w.addTensor(p + "attn_output.weight", GgmlType.Q4_K, new long[] {N_EMBD, N_EMBD}, hole);
            w.addTensor(p + "ffn_norm.weight", GgmlType.F32, new long[] {N_EMBD}, hole);
            w.addTensor(p + "ffn_gate.weight", GgmlType.Q4_K, new long[] {N_EMBD, N_FF}, hole);
            w.addTensor(p + "ffn_up.weight", GgmlType.Q4_K, new long[] {N_EMBD, N_FF}, hole);
            w.addTensor(p + "ffn_down.weight", GgmlType.Q6_K, new long[] {N_FF, N_EMBD}, hole);
        }
        w.addTensor("output_norm.weight", GgmlType.F32, new long[] {N_EMBD}, hole);
        w.addTensor("output.weight", GgmlType.Q6_K, new long[] {N_EMBD, N_VOCAB}, hole);
        w.write(path);
    }

    /** A BPE-like piece of 1 to 12 characters, some with the GPT-2 space marker. */
    private static String randomPiece(Random random, int i) {
        int length = 1 + random.nextInt(12);
        StringBuilder sb = new StringBuilder(length + 1);
        if (random.nextInt(3) == 0) {
            sb.append('Ġ');
        }
        for (int c = 0; c < length; c++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.append(i % 7 == 0 ? "ing" : "").toString();
    }
}
