package dev.pagoda.gguf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small valid GGUF files, made with our writer, that the fuzz tests mutate. */
final class SeedFiles {
    private SeedFiles() {
    }

    static List<byte[]> all(Path scratch) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        Random random = new Random(7);

        GgufWriter types = GgufWriterTest.everyValueType()
                .addTensor("a", GgmlType.F32, new long[] {8}, MemorySegment.ofArray(bytes(random, 32)))
                .addTensor("q", GgmlType.Q4_K, new long[] {256, 2}, MemorySegment.ofArray(bytes(random, 288)));
        seeds.add(write(types, scratch));

        String[] tokens = new String[40];
        float[] scores = new float[40];
        int[] kinds = new int[40];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = i < 3 ? new String[] {"<unk>", "<s>", "</s>"}[i] : "▁t" + i;
            scores[i] = -i;
            kinds[i] = i < 3 ? 3 : 1;
        }
        GgufWriter llama = new GgufWriter().version(2)
                .put("general.architecture", MetadataValue.string("llama"))
                .put("general.alignment", MetadataValue.uint32(64))
                .put("llama.block_count", MetadataValue.uint32(1))
                .put("llama.embedding_length", MetadataValue.uint32(32))
                .put("llama.attention.layer_norm_rms_epsilon", MetadataValue.float32(1e-5f))
                .put("tokenizer.ggml.model", MetadataValue.string("llama"))
                .put("tokenizer.ggml.tokens", MetadataValue.stringArray(tokens))
                .put("tokenizer.ggml.scores", MetadataValue.float32Array(scores))
                .put("tokenizer.ggml.token_type", MetadataValue.int32Array(kinds))
                .put("tokenizer.ggml.merges", MetadataValue.stringArray("▁ t", "t 1"))
                .addTensor("token_embd.weight", GgmlType.Q8_0, new long[] {32, 40}, MemorySegment.ofArray(bytes(random, 34 * 40)))
                .addTensor("blk.0.attn_norm.weight", GgmlType.F32, new long[] {32}, MemorySegment.ofArray(bytes(random, 128)))
                .addTensor("blk.0.attn_q.weight", GgmlType.F16, new long[] {32, 32}, MemorySegment.ofArray(bytes(random, 2048)))
                .addTensor("output_norm.weight", GgmlType.F32, new long[] {32}, MemorySegment.ofArray(bytes(random, 128)));
        seeds.add(write(llama, scratch));
        return seeds;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] write(GgufWriter w, Path scratch) throws IOException {
        Path p = Files.createTempFile(scratch, "seed", ".gguf");
        w.write(p);
        return Files.readAllBytes(p);
    }
}
