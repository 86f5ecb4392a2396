package dev.pagoda.nvme.testing;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The test disks' contents: every 8-byte little-endian word holds a mix of its own byte offset,
 * so any misplaced, stale or shifted byte shows up at once.
 */
public final class KnownPattern {
    private KnownPattern() {}

    /** The word at 8-aligned byte offset {@code offset}. */
    public static long wordAt(long offset) {
        long x = offset * 0x9E3779B97F4A7C15L + 0x5DEECE66DL;
        return x ^ (x >>> 29);
    }

    /** The byte at any offset. */
    public static byte byteAt(long offset) {
        return (byte) (wordAt(offset & ~7L) >>> ((offset & 7) * 8));
    }

    /** Fills {@code target} with the pattern of bytes [start, start + size). */
    public static void fill(MemorySegment target, long start) {
        if ((start & 7) != 0 || target.byteSize() % 8 != 0) {
            throw new IllegalArgumentException("pattern fill must be word aligned");
        }
        for (long i = 0; i < target.byteSize(); i += 8) {
            target.set(ValueLayout.JAVA_LONG_UNALIGNED, i, wordAt(start + i));
        }
    }

    /** The first offset in [0, length) where {@code data} differs from the pattern at {@code start}, or -1. */
    public static long firstMismatch(MemorySegment data, long start, long length) {
        for (long i = 0; i < length; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, i) != byteAt(start + i)) {
                return i;
            }
        }
        return -1;
    }
}
