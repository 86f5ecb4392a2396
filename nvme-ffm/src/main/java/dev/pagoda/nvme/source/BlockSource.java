package dev.pagoda.nvme.source;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Random-access reads of a byte range into memory. Implementations say whether they may be used
 * from several threads; none blocks forever (each has a timeout or relies on the OS's).
 */
public interface BlockSource extends AutoCloseable {
    /** Size in bytes; reads must lie within [0, size). */
    long size();

    /**
     * Reads bytes [offset, offset + length) into dst[0, length), all of them, or throws.
     *
     * @throws IllegalArgumentException if the range lies outside [0, size) or dst is too small
     */
    void read(long offset, MemorySegment dst, long length) throws IOException;

    @Override
    void close() throws IOException;

    /** Checks the common preconditions of {@link #read}. */
    static void checkRange(long size, long offset, MemorySegment dst, long length) {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new IllegalArgumentException("read of " + length + " bytes at offset " + offset
                    + " lies outside the source's " + size + " bytes");
        }
        if (dst.byteSize() < length) {
            throw new IllegalArgumentException("destination of " + dst.byteSize() + " bytes cannot take " + length);
        }
    }
}
