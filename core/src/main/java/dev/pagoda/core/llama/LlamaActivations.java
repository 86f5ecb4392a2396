package dev.pagoda.core.llama;

/**
 * Scratch buffers of one session's forward pass, each sized for {@code maxBatch} tokens and named
 * after the math: x is the residual stream, xb a normed or projected copy of it, q/k/v the
 * projections, attn the attention result, hb/hb2 the FFN gate and up activations.
 */
final class LlamaActivations {
    final int maxBatch;
    final float[] x;      // (batch, n_embd)
    final float[] xb;     // (batch, n_embd)
    final float[] q;      // (batch, n_head · head_k)
    final float[] k;      // (batch, n_head_kv · head_k)
    final float[] v;      // (batch, n_head_kv · head_v)
    final float[] attn;   // (batch, n_head · head_v)
    final float[] hb;     // (batch, n_ff)
    final float[] hb2;    // (batch, n_ff)
    final float[] cos;    // (batch, rope_dim / 2)
    final float[] sin;    // (batch, rope_dim / 2)
    final float[] last;   // (n_embd): the last row, normed, for last-position logits

    /**
     * @throws IllegalArgumentException when a buffer for {@code maxBatch} tokens exceeds a Java array or the
     *     buffers do not fit in the heap: the message gives the sizes and asks for a smaller batch
     */
    LlamaActivations(LlamaConfig c, int maxBatch) {
        this.maxBatch = maxBatch;
        long widest = Math.max(Math.max(c.embeddingLength(), c.queryWidth()),
                Math.max((long) c.headCount() * c.valueLength(), c.feedForwardLength()));
        if ((long) maxBatch * widest > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(tooLarge(c, maxBatch, "a buffer of " + maxBatch + " x " + widest
                    + " floats exceeds a Java array"));
        }
        try {
            x = new float[maxBatch * c.embeddingLength()];
            xb = new float[maxBatch * c.embeddingLength()];
            q = new float[maxBatch * c.queryWidth()];
            k = new float[maxBatch * c.keyWidth()];
            v = new float[maxBatch * c.valueWidth()];
            attn = new float[maxBatch * c.headCount() * c.valueLength()];
            hb = new float[maxBatch * c.feedForwardLength()];
            hb2 = new float[maxBatch * c.feedForwardLength()];
            cos = new float[maxBatch * c.ropeDimensionCount() / 2];
            sin = new float[maxBatch * c.ropeDimensionCount() / 2];
            last = new float[c.embeddingLength()];
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException(tooLarge(c, maxBatch, "the Java heap (at most "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB) cannot hold them"), e);
        }
    }

    private static String tooLarge(LlamaConfig c, int maxBatch, String why) {
        long floats = (long) maxBatch * (2L * c.embeddingLength() + c.queryWidth() + c.keyWidth() + c.valueWidth()
                + (long) c.headCount() * c.valueLength() + 2L * c.feedForwardLength() + c.ropeDimensionCount());
        return "a batch of " + maxBatch + " tokens needs " + (floats * Float.BYTES >> 20) + " MiB of activations and "
                + why + ": use a smaller batch size";
    }
}
