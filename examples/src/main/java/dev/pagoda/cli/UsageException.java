package dev.pagoda.cli;

/** Wrong command-line arguments; the message is shown as is, with the usage hint. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
