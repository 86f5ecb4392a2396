package dev.pagoda.bench.cpu;

import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaLayerWeights;
import dev.pagoda.core.llama.LlamaWeights;
import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random weights of a real model's shape, in native memory, laid out exactly as in a GGUF file:
 * random quant bytes with small finite scales. Speed does not depend on the values, so this
 * measures what a real file of the same shape and types would cost, without a multi-GB download.
 */
final class SyntheticLlama {
    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Weight type choice per tensor, as {@code llama-quantize} makes it. */
    enum Mix {
        Q8_0, Q4_K_M, F16;

        GgmlType type(String tensor, int layer, int layers) {
            return switch (this) {
                case Q8_0 -> GgmlType.Q8_0;
                case F16 -> GgmlType.F16;
                case Q4_K_M -> {
                    // llama.cpp's Q4_K_M: Q6_K for the (tied) embedding/output and for attn_v and
                    // ffn_down in the first and last eighth of the layers and every third layer between.
                    boolean moreBits = layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
                    if (tensor.equals("token_embd") || (moreBits && (tensor.equals("attn_v") || tensor.equals("ffn_down")))) {
                        yield GgmlType.Q6_K;
                    }
                    yield GgmlType.Q4_K;
                }
            };
        }
    }

    /** Llama-3.2-1B: n_embd 2048, 16 layers, 32 heads, 8 KV heads, FFN 8192, vocab 128256, tied embeddings. */
    static LlamaConfig llama32_1b() {
        return new LlamaConfig(2048, 16, 8192, 32, 8, 64, 64, 64, 500000f, 1f, 1e-5f, 131072, 128256);
    }

    static LlamaWeights weights(LlamaConfig c, Mix mix, Arena arena, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int embd = c.embeddingLength();
        int n = c.blockCount();
        WeightTensor tokenEmbd = random("token_embd.weight", mix.type("token_embd", 0, n), c.vocabSize(), embd, arena, rnd);
        List<LlamaLayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            String p = "blk." + l + ".";
            layers.add(new LlamaLayerWeights(
                    ones(embd),
                    random(p + "attn_q.weight", mix.type("attn_q", l, n), c.queryWidth(), embd, arena, rnd),
                    random(p + "attn_k.weight", mix.type("attn_k", l, n), c.keyWidth(), embd, arena, rnd),
                    random(p + "attn_v.weight", mix.type("attn_v", l, n), c.valueWidth(), embd, arena, rnd),
                    random(p + "attn_output.weight", mix.type("attn_output", l, n), embd, c.queryWidth(), arena, rnd),
                    ones(embd),
                    random(p + "ffn_gate.weight", mix.type("ffn_gate", l, n), c.feedForwardLength(), embd, arena, rnd),
                    random(p + "ffn_up.weight", mix.type("ffn_up", l, n), c.feedForwardLength(), embd, arena, rnd),
                    random(p + "ffn_down.weight", mix.type("ffn_down", l, n), embd, c.feedForwardLength(), arena, rnd)));
        }
        return new LlamaWeights(tokenEmbd, ones(embd), tokenEmbd, null, layers);
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        return v;
    }

    private static WeightTensor random(String name, GgmlType type, int rows, int cols, Arena arena, SplittableRandom rnd) {
        long bytes = type.byteSize((long) rows * cols);
        MemorySegment seg = arena.allocate(bytes, 64);
        long i = 0;
        for (; i + 8 <= bytes; i += 8) {
            seg.set(ValueLayout.JAVA_LONG_UNALIGNED, i, rnd.nextLong());
        }
        for (; i < bytes; i++) {
            seg.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
        }
        long blocks = (long) rows * cols / type.blockSize();
        for (long b = 0; b < blocks; b++) {
            long o = b * type.typeSize();
            switch (type) {
                case F16 -> seg.set(SHORT_LE, o, Float.floatToFloat16((float) (rnd.nextDouble() - 0.5) * 0.04f));
                case Q8_0, Q4_0 -> seg.set(SHORT_LE, o, scale(rnd));
                case Q4_K, Q5_K -> {
                    seg.set(SHORT_LE, o, scale(rnd));
                    seg.set(SHORT_LE, o + 2, scale(rnd));
                }
                case Q6_K -> seg.set(SHORT_LE, o + 208, scale(rnd));
                default -> throw new IllegalArgumentException("no synthetic " + type);
            }
        }
        return new WeightTensor(name, type, rows, cols, seg);
    }

    private static short scale(SplittableRandom rnd) {
        return Float.floatToFloat16((float) (0.0002 + 0.0005 * rnd.nextDouble()));
    }
}
