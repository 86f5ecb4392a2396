package dev.pagoda.core.backend;

/**
 * The operations a model graph is built from, implemented by one device. Activations are
 * row-major float32 batches: {@code batch} rows of a fixed width. The graph (e.g.
 * {@code LlamaGraph}) decides what to compute; a backend decides only how.
 *
 * <p>Weights arrive one block at a time ({@link WeightTensor}s of one layer per call), which is
 * what a streaming backend needs: it may fetch a layer's weights just before its first matmul.
 * Implementations are thread-safe; a call's arrays belong to one session for its duration.
 */
public interface ComputeBackend extends AutoCloseable {

    /** A short name for logs: "cpu (4 threads)". */
    String name();

    /** out[b·w.rows + r] = Σ_c w[r][c]·x[b·w.cols + c] for b &lt; batch. */
    void matmul(WeightTensor w, float[] x, int batch, float[] out);

    /** Copies rows ids[from..from+count) of {@code table} (dequantized) into out, one after another. */
    void getRows(WeightTensor table, int[] ids, int from, int count, float[] out);

    /** out[b] = x[b] / sqrt(mean(x[b]²) + eps) · weight, for each of {@code batch} rows of width weight.length. */
    void rmsNorm(float[] x, float[] weight, float eps, int batch, float[] out);

    /**
     * Rotates adjacent pairs (2i, 2i+1), i &lt; ropeHalf, of every head in place, by the angle whose
     * cosine and sine are cos[b·ropeHalf + i], sin[b·ropeHalf + i] for row b.
     */
    void rope(float[] x, int batch, int heads, int headWidth, int ropeHalf, float[] cos, float[] sin);

    /**
     * Causal multi-head attention with grouped KV heads: stores this batch's keys and values in
     * {@code cache} at positions startPos.., then for each row b (position startPos + b) and
     * query head h attends over positions 0..startPos + b of KV head h / (heads / kvHeads).
     * out[b] holds the heads' results one after another (heads · valueWidth).
     */
    void attention(KvCache cache, int layer, float[] q, float[] k, float[] v, int batch, int startPos,
            int heads, int kvHeads, int keyWidth, int valueWidth, float scale, float[] out);

    /** gate[i] = silu(gate[i]) · up[i] for i &lt; n. */
    void swiglu(float[] gate, float[] up, int n);

    /** acc[i] += x[i] for i &lt; n. */
    void add(float[] acc, float[] x, int n);

    @Override
    void close();
}
