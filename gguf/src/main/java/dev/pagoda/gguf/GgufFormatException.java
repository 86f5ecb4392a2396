package dev.pagoda.gguf;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A GGUF file that breaks the format: the message names the file, the field that is wrong and the
 * byte offset where it was read, e.g. {@code model.gguf: tensor 12 'blk.0.attn_q.weight': type id
 * 99 unknown at offset 0x1a2b}.
 */
public final class GgufFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Path file;
    private final long offset;

    /**
     * @param file   the file being read
     * @param offset the byte offset of the bad field in that file, or -1 when it has none
     * @param what   what is wrong, naming the field
     */
    public GgufFormatException(Path file, long offset, String what) {
        super(file + ": " + what + (offset >= 0 ? " at offset 0x" + Long.toHexString(offset) : ""));
        this.file = file;
        this.offset = offset;
    }

    /** The file that is malformed. */
    public Path file() {
        return file;
    }

    /** Byte offset of the bad field, or -1 when the problem is not at one place. */
    public long offset() {
        return offset;
    }
}
