package dev.pagoda.gguf.quant;

import java.lang.foreign.MemorySegment;

/**
 * The packed sub-block scales of the K-quants, as ggml packs them.
 *
 * <p>Q4_K and Q5_K keep eight 6-bit scales and eight 6-bit mins in 12 bytes (ggml's
 * {@code get_scale_min_k4}): for sub-block {@code j < 4} the scale is the low 6 bits of byte
 * {@code j} and the min the low 6 bits of byte {@code j + 4}; for {@code j >= 4} the low 4 bits come
 * from the nibbles of byte {@code j + 4} and the top 2 bits from the top bits of bytes {@code j - 4}
 * (scale) and {@code j} (min).
 *
 * <p>Q3_K keeps sixteen 6-bit scales offset by 32 in 12 bytes: the low 4 bits are nibbles of bytes
 * 0..7, the top 2 bits are 2-bit fields of bytes 8..11.
 */
public final class KQuantScales {
    /** Bytes of packed scales in a Q3_K, Q4_K or Q5_K block (ggml's {@code K_SCALE_SIZE}). */
    public static final int PACKED_BYTES = 12;

    private KQuantScales() {}

    /** Scale {@code j} (0..7, value 0..63) of the 12 packed bytes at {@code offset}. */
    public static int scale(MemorySegment packed, long offset, int j) {
        return scale(low(packed, offset), high(packed, offset), j);
    }

    /** Min {@code j} (0..7, value 0..63) of the 12 packed bytes at {@code offset}. */
    public static int min(MemorySegment packed, long offset, int j) {
        return min(low(packed, offset), high(packed, offset), j);
    }

    /** Packed bytes 0..7 at {@code offset}, little-endian: one load for {@link #scale(long, int, int)}. */
    public static long low(MemorySegment packed, long offset) {
        return packed.get(LittleEndian.LONG, offset);
    }

    /** Packed bytes 8..11 at {@code offset}, little-endian: one load for {@link #scale(long, int, int)}. */
    public static int high(MemorySegment packed, long offset) {
        return packed.get(LittleEndian.INT, offset + 8);
    }

    /**
     * Scale {@code j} (0..7) from the packed bytes already loaded by {@link #low} and {@link #high}.
     * The CPU kernels load once per block and unpack in registers: byte-by-byte reads cost as much
     * as a block's vector math.
     */
    public static int scale(long low, int high, int j) {
        return j < 4
                ? (int) (low >>> (8 * j)) & 63
                : ((high >>> (8 * (j - 4))) & 0x0F) | ((((int) (low >>> (8 * (j - 4))) & 0xFF) >>> 6) << 4);
    }

    /** Min {@code j} (0..7) from the packed bytes already loaded by {@link #low} and {@link #high}. */
    public static int min(long low, int high, int j) {
        return j < 4
                ? (int) (low >>> (8 * (j + 4))) & 63
                : ((high >>> (8 * (j - 4) + 4)) & 0x0F) | ((((int) (low >>> (8 * j))) & 0xFF) >>> 6) << 4;
    }

    /** Scale {@code j} (0..15) of a Q3_K block's 12 packed bytes at {@code offset}, already minus 32 (-32..31). */
    public static int q3Scale(MemorySegment packed, long offset, int j) {
        int low = j < 8 ? u8(packed, offset + j) & 0xF : u8(packed, offset + j - 8) >>> 4;
        int high = (u8(packed, offset + 8 + (j & 3)) >>> (2 * (j >>> 2))) & 3;
        return (low | (high << 4)) - 32;
    }

    /**
     * Packs six-bit {@code scales[0..8)} and {@code mins[0..8)} into 12 bytes at {@code offset}, the
     * inverse of {@link #scale} and {@link #min}.
     */
    public static void pack(int[] scales, int[] mins, MemorySegment packed, long offset) {
        byte[] b = new byte[PACKED_BYTES];
        pack(scales, mins, b);
        MemorySegment.copy(b, 0, packed, LittleEndian.BYTE, offset, PACKED_BYTES);
    }

    static void pack(int[] scales, int[] mins, byte[] b) {
        for (int j = 0; j < 8; j++) {
            int ls = scales[j];
            int lm = mins[j];
            if (ls < 0 || ls > 63 || lm < 0 || lm > 63) {
                throw new IllegalArgumentException("K-quant sub-block " + j + ": scale " + ls + " / min " + lm
                        + " outside 0..63");
            }
        }
        java.util.Arrays.fill(b, 0, PACKED_BYTES, (byte) 0);
        for (int j = 0; j < 8; j++) {
            int ls = scales[j];
            int lm = mins[j];
            if (j < 4) {
                b[j] = (byte) ls;
                b[j + 4] = (byte) lm;
            } else {
                b[j + 4] = (byte) ((ls & 0xF) | ((lm & 0xF) << 4));
                b[j - 4] |= (byte) ((ls >>> 4) << 6);
                b[j] |= (byte) ((lm >>> 4) << 6);
            }
        }
    }

    private static int u8(MemorySegment s, long offset) {
        return s.get(LittleEndian.BYTE, offset) & 0xFF;
    }
}
