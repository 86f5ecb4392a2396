package dev.pagoda.core;

import dev.pagoda.core.backend.ForwardPass;
import dev.pagoda.core.backend.PenalizedIds;
import dev.pagoda.core.llama.LlamaConfig;

/**
 * One conversation with a {@link Model}: the tokens fed so far, held as a KV cache, and the
 * position of the next token. Feeding a batch of tokens runs them through the model together
 * (prefill) in chunks; feeding one token at a time is decoding.
 *
 * <p>Not thread-safe: a session belongs to one thread at a time. Any number of sessions of the
 * same model may run at once on different threads. Close it when done: on CUDA its KV cache and
 * scratch are device memory.
 */
public final class Session implements AutoCloseable {
    private final Model model;
    private final ForwardPass forward;
    private final LlamaConfig config;
    private final int contextLength;
    private int position;

    Session(Model model, ForwardPass forward, LlamaConfig config, int contextLength) {
        this.model = model;
        this.forward = forward;
        this.config = config;
        this.contextLength = contextLength;
    }

    /** Tokens fed so far: the position the next token will take. */
    public int position() {
        return position;
    }

    /** Positions this session can hold. */
    public int contextLength() {
        return contextLength;
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
            forward.forward(tokens, from, count, position, logits, false);
            position += count;
        }
        return logits;
    }

    /**
     * As {@link #feed}, but returns the logits after every fed token: row i predicts the token after tokens[i].
     * The rows are allocated before anything runs.
     *
     * @throws IllegalArgumentException also when the rows (tokens × vocabulary floats) do not fit in the
     *     Java heap; nothing is fed then
     */
    public float[][] feedAll(int... tokens) {
        check(tokens);
        int vocab = vocabSize();
        long chunkFloats = (long) Math.min(forward.maxBatch(), tokens.length) * vocab;
        if (chunkFloats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(allLogitsTooLarge(tokens.length, vocab, "one batch's rows ("
                    + chunkFloats + " floats) exceed a Java array"));
        }
        float[][] rows;
        float[] chunk;
        try {
            rows = new float[tokens.length][vocab];
            chunk = new float[(int) chunkFloats];
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException(allLogitsTooLarge(tokens.length, vocab, "they do not fit in the Java heap"
                    + " (at most " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)"), e);
        }
        for (int from = 0; from < tokens.length; from += forward.maxBatch()) {
            int count = Math.min(forward.maxBatch(), tokens.length - from);
            forward.forward(tokens, from, count, position, chunk, true);
            for (int b = 0; b < count; b++) {
                System.arraycopy(chunk, b * vocab, rows[from + b], 0, vocab);
            }
            position += count;
        }
        return rows;
    }

    private static String allLogitsTooLarge(int positions, int vocab, String why) {
        return "the logits of all " + positions + " positions (" + positions + " x " + vocab + " floats, "
                + (4L * positions * vocab >> 20) + " MiB): " + why + "; feed fewer tokens per call, use feed() for the"
                + " last position's logits only, or a larger heap (-Xmx)";
    }

    /**
     * Feeds tokens as {@link #feed} does but returns only the id of the largest logit after the last
     * one (greedy decoding; the lowest id on a tie). On CUDA the argmax is taken on the device, so
     * only one int crosses the bus per token.
     */
    public int feedArgmax(int... tokens) {
        check(tokens);
        int pick = -1;
        for (int from = 0; from < tokens.length; from += forward.maxBatch()) {
            int count = Math.min(forward.maxBatch(), tokens.length - from);
            if (from + count == tokens.length) {
                pick = forward.forwardArgmax(tokens, from, count, position);
            } else {
                forward.forward(tokens, from, count, position, new float[vocabSize()], false);
            }
            position += count;
        }
        return pick;
    }

    /**
     * How many candidates {@link #feedCandidates} returns on this session's backend: 0 where it has no
     * such path (the CPU, whose sampler reads the logits in place), {@code 64} on CUDA.
     */
    public int maxCandidates() {
        return forward.maxCandidates();
    }

    /**
     * Feeds tokens as {@link #feed} does, then penalizes the logits of {@code penalized[0..penalizedCount)}
     * (distinct ids; l · penalty when l ≤ 0, else l / penalty, llama.cpp's repeat penalty) and returns
     * the best {@link #maxCandidates()} logits and their ids, best first, the lower id first on a tie:
     * what {@code Sampler.sampleCandidates} needs. On CUDA this is computed on the device, so 516 bytes
     * cross the bus per token instead of the logits.
     *
     * @return how many candidates were written
     * @throws UnsupportedOperationException where {@link #maxCandidates()} is 0
     * @throws IllegalArgumentException naming the first NaN logit
     */
    public int feedCandidates(int[] tokens, int[] penalized, int penalizedCount, float penalty, float[] logits,
            int[] ids) {
        check(tokens);
        int candidates = forward.maxCandidates();
        if (candidates == 0) {
            throw new UnsupportedOperationException("this session's backend returns logits, not candidates");
        }
        if (logits.length < candidates || ids.length < candidates) {
            throw new IllegalArgumentException("room for " + Math.min(logits.length, ids.length) + " candidates; "
                    + candidates + " needed");
        }
        PenalizedIds.check(penalized, penalizedCount, vocabSize());  // before any chunk of a long prompt runs
        int written = 0;
        for (int from = 0; from < tokens.length; from += forward.maxBatch()) {
            int count = Math.min(forward.maxBatch(), tokens.length - from);
            if (from + count == tokens.length) {
                written = forward.forwardCandidates(tokens, from, count, position, penalized, penalizedCount, penalty,
                        logits, ids);
            } else {
                forward.forward(tokens, from, count, position, new float[vocabSize()], false);
            }
            position += count;
        }
        return written;
    }

    /** Frees the session's KV cache and scratch (device memory on CUDA). */
    @Override
    public void close() {
        forward.close();
    }

    private int vocabSize() {
        return config.vocabSize();
    }

    private void check(int[] tokens) {
        model.ensureOpen();
        if (tokens.length == 0) {
            throw new IllegalArgumentException("no tokens to feed");
        }
        LlamaConfig c = config;
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at index " + i
                        + " is outside the vocabulary [0, " + c.vocabSize() + ")");
            }
        }
        if ((long) position + tokens.length > contextLength) {
            throw new ContextFullException(contextLength, position, tokens.length);
        }
    }
}
