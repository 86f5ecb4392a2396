package dev.pagoda.core.backend;

/**
 * One session's forward pass on one device: runs token ids at given positions, keeping their keys
 * and values in the session's own KV cache, and hands back logits or the greedy pick. This is the
 * seam between a {@code Session} and a backend (CPU graph on host arrays, or the CUDA graph on
 * device buffers). Single-threaded, like the session that owns it.
 */
public interface ForwardPass extends AutoCloseable {

    /** Most tokens one call takes. */
    int maxBatch();

    /**
     * Runs tokens[from..from+count) at positions startPos.. (count ≤ {@link #maxBatch()}). When
     * {@code allRows}, logits receives count × vocab values (one row per token); otherwise vocab
     * values for the last token only.
     */
    void forward(int[] tokens, int from, int count, int startPos, float[] logits, boolean allRows);

    /**
     * As {@link #forward} without {@code allRows}, but returns only the id of the largest logit after
     * the last token (the lowest id on a tie; NaN never wins), so a device need not send the logits back.
     */
    int forwardArgmax(int[] tokens, int from, int count, int startPos);

    /** Frees the cache and scratch (device memory on a GPU). */
    @Override
    void close();
}
