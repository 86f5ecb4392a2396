package dev.pagoda.core.cpu;

import java.lang.foreign.MemorySegment;

/**
 * The 12-byte packed scales of Q4_K and Q5_K super-blocks: 8 six-bit scales and 8 six-bit mins,
 * one pair per 32-element sub-block (ggml's {@code get_scale_min_k4}).
 */
final class KQuantScales {
    private KQuantScales() {}

    /** Unpacks the 12 bytes at {@code offset} into scales[0..7] and mins[0..7]. */
    static void unpack(MemorySegment w, long offset, int[] scales, int[] mins) {
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                scales[j] = Bytes.u8(w, offset + j) & 63;
                mins[j] = Bytes.u8(w, offset + j + 4) & 63;
            } else {
                int lowAndHigh = Bytes.u8(w, offset + j + 4);
                scales[j] = (lowAndHigh & 0x0F) | ((Bytes.u8(w, offset + j - 4) >>> 6) << 4);
                mins[j] = (lowAndHigh >>> 4) | ((Bytes.u8(w, offset + j) >>> 6) << 4);
            }
        }
    }
}
