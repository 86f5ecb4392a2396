package dev.pagoda.core.tier;

import java.lang.foreign.MemorySegment;

/**
 * One read of a {@link WeightSource}: bytes [fileOffset, fileOffset + length) into dst[0, length).
 * {@code dst} may be larger than {@code length}; a source may use the room to round the read up.
 */
public record ReadRequest(long fileOffset, MemorySegment dst, long length) {
    public ReadRequest {
        if (fileOffset < 0 || length < 0 || length > dst.byteSize()) {
            throw new IllegalArgumentException("read of " + length + " bytes at offset " + fileOffset + " into "
                    + dst.byteSize() + " bytes");
        }
    }
}
