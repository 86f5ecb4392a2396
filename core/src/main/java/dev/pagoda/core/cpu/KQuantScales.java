package dev.pagoda.core.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The 12-byte packed scales of Q4_K and Q5_K super-blocks: 8 six-bit scales and 8 six-bit mins,
 * one pair per 32-element sub-block (ggml's {@code get_scale_min_k4}). The 12 bytes are read in
 * two loads and unpacked in registers: byte-by-byte reads cost as much as the block's vector math.
 */
final class KQuantScales {
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private KQuantScales() {}

    /** Unpacks the 12 bytes at {@code offset} into scales[0..7] and mins[0..7]. */
    static void unpack(MemorySegment w, long offset, int[] scales, int[] mins) {
        long lo = w.get(LONG_LE, offset);          // bytes 0..7
        int hi = w.get(INT_LE, offset + 8);         // bytes 8..11
        for (int j = 0; j < 4; j++) {
            int b = (int) (lo >>> (8 * j)) & 0xFF;          // byte j: scale j (low 6 bits), high bits of scale j+4
            int m = (int) (lo >>> (8 * (j + 4))) & 0xFF;    // byte j+4: min j (low 6 bits), high bits of min j+4
            int packed = (hi >>> (8 * j)) & 0xFF;           // byte j+8: low nibbles of scale j+4 and min j+4
            scales[j] = b & 63;
            mins[j] = m & 63;
            scales[j + 4] = (packed & 0x0F) | ((b >>> 6) << 4);
            mins[j + 4] = (packed >>> 4) | ((m >>> 6) << 4);
        }
    }

    /** Scale of sub-block j (0..7), from the scale bytes 0..7 ({@code lo}) and 8..11 ({@code hi}). */
    static int scale(long lo, int hi, int j) {
        return j < 4
                ? (int) (lo >>> (8 * j)) & 63
                : ((hi >>> (8 * (j - 4))) & 0x0F) | ((((int) (lo >>> (8 * (j - 4))) & 0xFF) >>> 6) << 4);
    }

    /** Min of sub-block j (0..7), from the scale bytes 0..7 ({@code lo}) and 8..11 ({@code hi}). */
    static int min(long lo, int hi, int j) {
        return j < 4
                ? (int) (lo >>> (8 * (j + 4))) & 63
                : ((hi >>> (8 * (j - 4) + 4)) & 0x0F) | ((((int) (lo >>> (8 * j))) & 0xFF) >>> 6) << 4;
    }

    /** The low 8 scale bytes at {@code offset}. */
    static long low(MemorySegment w, long offset) {
        return w.get(LONG_LE, offset);
    }

    /** Scale bytes 8..11 at {@code offset}. */
    static int high(MemorySegment w, long offset) {
        return w.get(INT_LE, offset + 8);
    }
}
