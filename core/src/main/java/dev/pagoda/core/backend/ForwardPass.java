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

    /**
     * How many candidates {@link #forwardCandidates} returns: 0 where this pass has no such path (the
     * caller takes the logits instead).
     */
    default int maxCandidates() {
        return 0;
    }

    /**
     * As {@link #forward} without {@code allRows}, then the logits of {@code penalized[0..penalizedCount)}
     * (distinct ids) take llama.cpp's repeat penalty (l · penalty when l ≤ 0, else l / penalty) and the
     * best {@link #maxCandidates()} of all logits go to {@code logits} and {@code ids}, best first, the
     * lower id first on a tie; returns how many (fewer only for a smaller vocabulary). A device sends
     * those instead of the whole vector.
     *
     * @throws IllegalArgumentException naming the first NaN logit
     * @throws UnsupportedOperationException where {@link #maxCandidates()} is 0
     */
    default int forwardCandidates(int[] tokens, int from, int count, int startPos, int[] penalized, int penalizedCount,
            float penalty, float[] logits, int[] ids) {
        throw new UnsupportedOperationException("this forward pass returns logits, not candidates");
    }

    /** Frees the cache and scratch (device memory on a GPU). */
    @Override
    void close();
}
