package dev.pagoda.core.tier;

import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.TensorInfo;
import java.util.ArrayList;
import java.util.List;

/** Llama-shaped GGUF tensor tables built in memory (no file), for planner tests. */
final class SyntheticTables {
    private SyntheticTables() {}

    /** Llama 3 70B shapes, Q4_K matrices, Q6_K output. */
    static List<TensorInfo> llama70b() {
        return llama(80, 8192, 28672, 64, 8, 128, 128256, GgmlType.Q4_K, GgmlType.Q6_K);
    }

    /** Llama 3 8B shapes, Q4_K matrices, Q6_K output. */
    static List<TensorInfo> llama8b() {
        return llama(32, 4096, 14336, 32, 8, 128, 128256, GgmlType.Q4_K, GgmlType.Q6_K);
    }

    static List<TensorInfo> llama(int layers, int embd, int ff, int heads, int kvHeads, int headDim, int vocab,
            GgmlType matrix, GgmlType outputType) {
        List<TensorInfo> t = new ArrayList<>();
        long[] offset = {0};
        add(t, offset, "token_embd.weight", matrix, embd, vocab);
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            add(t, offset, p + "attn_norm.weight", GgmlType.F32, embd);
            add(t, offset, p + "attn_q.weight", matrix, embd, heads * headDim);
            add(t, offset, p + "attn_k.weight", matrix, embd, kvHeads * headDim);
            add(t, offset, p + "attn_v.weight", matrix, embd, kvHeads * headDim);
            add(t, offset, p + "attn_output.weight", matrix, heads * headDim, embd);
            add(t, offset, p + "ffn_norm.weight", GgmlType.F32, embd);
            add(t, offset, p + "ffn_gate.weight", matrix, embd, ff);
            add(t, offset, p + "ffn_up.weight", matrix, embd, ff);
            add(t, offset, p + "ffn_down.weight", matrix, ff, embd);
        }
        add(t, offset, "output_norm.weight", GgmlType.F32, embd);
        add(t, offset, "output.weight", outputType, embd, vocab);
        return t;
    }

    private static void add(List<TensorInfo> t, long[] offset, String name, GgmlType type, long... shape) {
        TensorInfo info = new TensorInfo(name, shape, type, offset[0], 0);
        t.add(info);
        offset[0] += LayerLayout.alignUp(info.byteSize(), 32);
    }
}
