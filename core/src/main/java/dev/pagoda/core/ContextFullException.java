package dev.pagoda.core;

/** Thrown when tokens are fed past the end of a session's context; the session is left unchanged. */
public final class ContextFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final int contextLength;
    private final int position;

    public ContextFullException(int contextLength, int position, int requested) {
        super(position >= contextLength
                ? "context of " + contextLength + " tokens is full at position " + position
                : "context of " + contextLength + " tokens is full: " + requested + " tokens at position "
                        + position + " would reach position " + (position + requested));
        this.contextLength = contextLength;
        this.position = position;
    }

    /** Positions the session holds. */
    public int contextLength() {
        return contextLength;
    }

    /** The session's position when the tokens were refused. */
    public int position() {
        return position;
    }
}
