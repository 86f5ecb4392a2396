package dev.pagoda.core;

/**
 * What a {@link Model#generate} call did and how fast.
 *
 * @param promptTokens     tokens of the prompt (BOS included)
 * @param generatedTokens  tokens sampled (an end-of-generation token is not counted)
 * @param promptNanos      time to run the prompt through the model
 * @param decodeTokens     tokens run through the model one at a time after the prompt
 * @param decodeNanos      time spent sampling and running those tokens
 * @param stopReason       why generation ended
 */
public record GenerationStats(
        int promptTokens, int generatedTokens, long promptNanos, int decodeTokens, long decodeNanos,
        StopReason stopReason) {

    /** Why a generation ended. */
    public enum StopReason {
        /** The requested number of tokens was produced. */
        MAX_TOKENS,
        /** The model produced an end-of-generation token (EOS, end of turn). */
        END_OF_GENERATION,
        /** A stop string appeared in the text. */
        STOP_STRING,
        /** The session's context is full. */
        CONTEXT_FULL
    }

    /** Prompt tokens per second. */
    public double promptTokensPerSecond() {
        return promptNanos == 0 ? 0 : promptTokens * 1e9 / promptNanos;
    }

    /** Decoded tokens per second. */
    public double decodeTokensPerSecond() {
        return decodeNanos == 0 ? 0 : decodeTokens * 1e9 / decodeNanos;
    }
}
