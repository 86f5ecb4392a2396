package dev.pagoda.core;

import java.io.IOException;

/** A model file that is valid GGUF but that Pagoda cannot run; the message names what is missing or unsupported. */
public final class UnsupportedModelException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnsupportedModelException(String message) {
        super(message);
    }
}
