package dev.pagoda.core.llama;

import dev.pagoda.core.UnsupportedModelException;
import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.core.cpu.RowKernel;
import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.GgufFile;
import dev.pagoda.gguf.Metadata;
import dev.pagoda.gguf.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a {@code llama} model's hyper-parameters and weights from an open GGUF file, as
 * llama.cpp's loader does, and refuses anything it cannot run with a message naming it.
 * Weights are slices of the file's mapping: the file must stay open while they are used.
 */
public final class LlamaLoader {
    private static final String ARCH = "llama";

    private LlamaLoader() {}

    /** The model's config and weights. */
    public record Loaded(LlamaConfig config, LlamaWeights weights) {}

    public static Loaded load(GgufFile file) throws UnsupportedModelException {
        LlamaConfig config = config(file);
        return new Loaded(config, weights(file, config));
    }

    /** Hyper-parameters from metadata ({@code llama.*}), with llama.cpp's defaults. */
    public static LlamaConfig config(GgufFile file) throws UnsupportedModelException {
        Metadata md = file.metadata();
        String where = file.path().getFileName().toString();
        String arch = md.contains("general.architecture") ? md.getString("general.architecture") : null;
        if (arch == null) {
            throw new UnsupportedModelException(where + ": metadata key general.architecture is missing");
        }
        if (!ARCH.equals(arch)) {
            throw new UnsupportedModelException(where + ": architecture '" + arch
                    + "' is not supported (supported: llama)");
        }
        int experts = md.getInt(key("expert_count"), 0);
        if (experts > 0) {
            throw new UnsupportedModelException(where + ": mixture-of-experts models (llama.expert_count = "
                    + experts + ") are not supported");
        }
        for (String k : new String[] {"block_count", "embedding_length", "feed_forward_length",
                "attention.head_count", "attention.layer_norm_rms_epsilon"}) {
            if (!md.contains(key(k))) {
                throw new UnsupportedModelException(where + ": metadata key " + key(k) + " is missing");
            }
        }
        try {
            int embd = md.getInt(key("embedding_length"));
            int heads = md.getInt(key("attention.head_count"));
            int headsKv = md.getInt(key("attention.head_count_kv"), heads);
            if (heads <= 0 || embd % heads != 0 && !md.contains(key("attention.key_length"))) {
                throw new UnsupportedModelException(where + ": embedding_length " + embd
                        + " is not a multiple of attention.head_count " + heads);
            }
            int keyLength = md.getInt(key("attention.key_length"), embd / heads);
            int valueLength = md.getInt(key("attention.value_length"), embd / heads);
            int ropeDim = md.getInt(key("rope.dimension_count"), keyLength);
            float base = md.getFloat(key("rope.freq_base"), 10000f);
            float freqScale = ropeFreqScale(md, where);
            int vocab = md.contains(key("vocab_size"))
                    ? md.getInt(key("vocab_size"))
                    : (int) file.findTensor("token_embd.weight")
                            .orElseThrow(() -> new UnsupportedModelException(where + ": tensor token_embd.weight is missing"))
                            .rowCount();
            return new LlamaConfig(embd, md.getInt(key("block_count")), md.getInt(key("feed_forward_length")),
                    heads, headsKv, keyLength, valueLength, ropeDim, base, freqScale,
                    md.getFloat(key("attention.layer_norm_rms_epsilon")),
                    md.getInt(key("context_length"), 2048), vocab);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException(where + ": " + e.getMessage());
        }
    }

    private static float ropeFreqScale(Metadata md, String where) throws UnsupportedModelException {
        String type = md.getString(key("rope.scaling.type"), "none");
        float factor = md.getFloat(key("rope.scaling.factor"), md.getFloat(key("rope.scale_linear"), 0f));
        return switch (type) {
            case "none" -> md.contains(key("rope.scale_linear")) && factor > 0 ? 1f / factor : 1f;
            case "linear" -> factor > 0 ? 1f / factor : 1f;
            // Llama 3.1 "llama3" scaling is carried by rope_freqs.weight; llama.cpp applies no extra scale.
            case "llama3" -> 1f;
            default -> throw new UnsupportedModelException(where + ": rope scaling type '" + type
                    + "' is not supported (supported: none, linear, llama3 via rope_freqs.weight)");
        };
    }

    private static String key(String suffix) {
        return ARCH + "." + suffix;
    }

    /** Every tensor the graph needs, checked for presence, shape and type. */
    public static LlamaWeights weights(GgufFile file, LlamaConfig c) throws UnsupportedModelException {
        String where = file.path().getFileName().toString();
        int embd = c.embeddingLength();
        WeightTensor tokenEmbd = matrix(file, where, "token_embd.weight", c.vocabSize(), embd);
        float[] outputNorm = vector(file, where, "output_norm.weight", embd);
        Optional<TensorInfo> out = file.findTensor("output.weight");
        WeightTensor output = out.isPresent() ? matrix(file, where, "output.weight", c.vocabSize(), embd) : tokenEmbd;
        float[] ropeFreqs = file.findTensor("rope_freqs.weight").isPresent()
                ? vector(file, where, "rope_freqs.weight", c.ropeDimensionCount() / 2)
                : null;
        List<LlamaLayerWeights> layers = new ArrayList<>(c.blockCount());
        for (int l = 0; l < c.blockCount(); l++) {
            String p = "blk." + l + ".";
            layers.add(new LlamaLayerWeights(
                    vector(file, where, p + "attn_norm.weight", embd),
                    matrix(file, where, p + "attn_q.weight", c.queryWidth(), embd),
                    matrix(file, where, p + "attn_k.weight", c.keyWidth(), embd),
                    matrix(file, where, p + "attn_v.weight", c.valueWidth(), embd),
                    matrix(file, where, p + "attn_output.weight", embd, c.headCount() * c.valueLength()),
                    vector(file, where, p + "ffn_norm.weight", embd),
                    matrix(file, where, p + "ffn_gate.weight", c.feedForwardLength(), embd),
                    matrix(file, where, p + "ffn_up.weight", c.feedForwardLength(), embd),
                    matrix(file, where, p + "ffn_down.weight", embd, c.feedForwardLength())));
        }
        return new LlamaWeights(tokenEmbd, outputNorm, output, ropeFreqs, layers);
    }

    private static TensorInfo find(GgufFile file, String where, String name) throws UnsupportedModelException {
        TensorInfo t = file.findTensor(name)
                .orElseThrow(() -> new UnsupportedModelException(where + ": tensor " + name + " is missing"));
        if (!RowKernel.supports(t.type())) {
            throw new UnsupportedModelException(where + ": tensor " + name + " has type " + t.type()
                    + ", which the CPU backend cannot compute (supported: " + RowKernel.supportedNames() + ")");
        }
        return t;
    }

    private static WeightTensor matrix(GgufFile file, String where, String name, int rows, int cols)
            throws UnsupportedModelException {
        TensorInfo t = find(file, where, name);
        long[] s = t.shape();
        boolean ok = s.length == 2 && s[0] == cols && s[1] == rows;
        if (!ok) {
            throw new UnsupportedModelException(where + ": tensor " + name + " has shape "
                    + java.util.Arrays.toString(s) + " but the metadata implies [" + cols + ", " + rows + "]");
        }
        return new WeightTensor(name, t.type(), rows, cols, file.data(t));
    }

    private static float[] vector(GgufFile file, String where, String name, int n) throws UnsupportedModelException {
        TensorInfo t = find(file, where, name);
        if (t.elementCount() != n) {
            throw new UnsupportedModelException(where + ": tensor " + name + " has " + t.elementCount()
                    + " elements but " + n + " are expected");
        }
        float[] out = new float[n];
        RowKernel.of(t.type()).dequantizeRow(file.data(t), 0, out, 0, n);
        return out;
    }
}
