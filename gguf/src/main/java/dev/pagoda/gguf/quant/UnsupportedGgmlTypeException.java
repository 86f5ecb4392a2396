package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;

/** A ggml tensor type that Pagoda recognises by id but cannot convert. */
public final class UnsupportedGgmlTypeException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    private final transient GgmlType type;

    public UnsupportedGgmlTypeException(GgmlType type) {
        super("tensor type " + type.name() + " (ggml id " + type.id() + ") is recognised but not supported by Pagoda");
        this.type = type;
    }

    public UnsupportedGgmlTypeException(GgmlType type, String operation) {
        super("tensor type " + type.name() + " (ggml id " + type.id() + ") is recognised but Pagoda does not support "
                + operation);
        this.type = type;
    }

    /** The type that was refused. */
    public GgmlType type() {
        return type;
    }
}
