package dev.pagoda.core;

import dev.pagoda.core.backend.KvCache;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaForward;
import java.util.Arrays;

/**
 * One conversation with a {@link Model}: the tokens fed so far, held as a KV cache, and the
 * position of the next token. Feeding a batch of tokens runs them through the model together
 * (prefill) in chunks; feeding one token at a time is decoding.
 *
 * <p>Not thread-safe: a session belongs to one thread at a time. Any number of sessions of the
 * same model may run at once on different threads.
 */
public final class Session {
    private final Model model;
    private final LlamaForward forward;
    private final KvCache cache;
    private int position;

    Session(Model model, LlamaForward forward, KvCache cache) {
        this.model = model;
        this.forward = forward;
        this.cache = cache;
    }

    /** Tokens fed so far: the position the next token will take. */
    public int position() {
        return position;
    }

    /** Positions this session can hold. */
    public int contextLength() {
        return cache.contextLength();
    }

    /** Forgets every token fed so far (the cache memory is kept for reuse). */
    public void reset() {
        position = 0;
    }

    /**
     * Feeds tokens at the next positions and returns the logits (vocabulary-sized) that predict the
     * token after the last one.
     *
     * @throws ContextFullException when the tokens do not fit; nothing is fed then
     * @throws IllegalArgumentException for an empty array or an id outside the vocabulary
     */
    public float[] feed(int... tokens) {
        check(tokens);
        float[] logits = new float[vocabSize()];
        for (int from = 0; from < tokens.length; from += forward.maxBatch()) {
            int count = Math.min(forward.maxBatch(), tokens.length - from);
            forward.forward(cache, tokens, from, count, position, logits, false);
            position += count;
        }
        return logits;
    }

    /** As {@link #feed}, but returns the logits after every fed token: row i predicts the token after tokens[i]. */
    public float[][] feedAll(int... tokens) {
        check(tokens);
        int vocab = vocabSize();
        float[][] rows = new float[tokens.length][];
        float[] chunk = new float[Math.min(forward.maxBatch(), tokens.length) * vocab];
        for (int from = 0; from < tokens.length; from += forward.maxBatch()) {
            int count = Math.min(forward.maxBatch(), tokens.length - from);
            forward.forward(cache, tokens, from, count, position, chunk, true);
            for (int b = 0; b < count; b++) {
                rows[from + b] = Arrays.copyOfRange(chunk, b * vocab, (b + 1) * vocab);
            }
            position += count;
        }
        return rows;
    }

    private int vocabSize() {
        return forward.config().vocabSize();
    }

    private void check(int[] tokens) {
        model.ensureOpen();
        if (tokens.length == 0) {
            throw new IllegalArgumentException("no tokens to feed");
        }
        LlamaConfig c = forward.config();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at index " + i
                        + " is outside the vocabulary [0, " + c.vocabSize() + ")");
            }
        }
        if ((long) position + tokens.length > cache.contextLength()) {
            throw new ContextFullException(cache.contextLength(), position, tokens.length);
        }
    }
}
