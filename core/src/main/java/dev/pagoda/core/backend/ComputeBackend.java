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

    /**
     * outs[i] = ws[i] x for every i, as {@link #matmul} computes each: projections that share their input
     * (q, k and v). A backend may run them as one split of all their rows (one wait for its threads
     * instead of one per matrix); the results are the same.
     */
    default void matmuls(WeightTensor[] ws, float[] x, int batch, float[][] outs) {
        for (int i = 0; i < ws.length; i++) {
            matmul(ws[i], x, batch, outs[i]);
        }
    }

    /**
     * The feed-forward's two projections and SwiGLU: up = wUp x, then gate = silu(wGate x) · up, as
     * {@link #matmul} and {@link #swiglu} compute them. A backend may compute row r of both products and
     * its SwiGLU together (one split instead of three); the results are the same. {@code width} is the
     * products' row count, the model's feed-forward length (a backend may be handed matrices with only
     * its share of the rows, see the hybrid backend).
     */
    default void gatedProjection(WeightTensor wGate, WeightTensor wUp, float[] x, int batch, int width, float[] gate,
            float[] up) {
        matmul(wGate, x, batch, gate);
        matmul(wUp, x, batch, up);
        swiglu(gate, up, batch * width);
    }

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
