package dev.pagoda.core.synth;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Random but valid quantized blocks, made directly instead of quantizing random floats: random
 * quant bits under sane, finite f16 scales chosen so that the dequantized weights are centred on
 * zero with a standard deviation near {@code std} (uniform within each sub-block, not Gaussian).
 * Orders of magnitude faster than ggml's K-quant fitting, and what "random weights" means for a
 * model made to be moved around, not to be right.
 *
 * <ul>
 *   <li>Q8_0: d·q with q uniform in −127..127.
 *   <li>Q4_K: d·sc·q − dmin·m with q uniform 0..15, six-bit sc in 16..31, dmin = 8·d and m =
 *       round(sc·7.5/8) (centres q on 7.5).
 *   <li>Q5_K: the same with q uniform 0..31, dmin = 16·d, m = round(sc·15.5/16).
 *   <li>Q6_K: d·sc·(q − 32) with q uniform 0..63, int8 sc in 8..15.
 * </ul>
 * d jitters by ±25 % from block to block.
 */
final class RandomBlocks {
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Standard deviation of a discrete uniform variable over n values: sqrt((n² − 1) / 12). */
    private static final float STD_Q4 = (float) Math.sqrt((16 * 16 - 1) / 12.0);
    private static final float STD_Q5 = (float) Math.sqrt((32 * 32 - 1) / 12.0);
    private static final float STD_Q6 = (float) Math.sqrt((64 * 64 - 1) / 12.0);
    private static final float STD_Q8 = (float) Math.sqrt((255 * 255 - 1) / 12.0);
    private static final float MEAN_K_SCALE = 23.5f;
    private static final float MEAN_Q6_SCALE = 11.5f;

    private RandomBlocks() {
    }

    /** Whether blocks of {@code type} can be made directly. */
    static boolean supports(GgmlType type) {
        return type == GgmlType.Q8_0 || type == GgmlType.Q4_K || type == GgmlType.Q5_K || type == GgmlType.Q6_K;
    }

    /** Writes {@code blocks} random blocks of {@code type} at {@code offset} of {@code dst}. */
    static void fill(GgmlType type, ChunkRandom rnd, MemorySegment dst, long offset, long blocks, float std) {
        switch (type) {
            case Q8_0 -> q8_0(rnd, dst, offset, blocks, std / STD_Q8);
            case Q4_K -> kQuant(rnd, dst, offset, blocks, std / (MEAN_K_SCALE * STD_Q4), 8, 7.5f, 128, 0);
            case Q5_K -> kQuant(rnd, dst, offset, blocks, std / (MEAN_K_SCALE * STD_Q5), 16, 15.5f, 128, 32);
            case Q6_K -> q6_K(rnd, dst, offset, blocks, std / (MEAN_Q6_SCALE * STD_Q6));
            default -> throw new IllegalArgumentException("random " + type + " blocks are not supported");
        }
    }

    private static short jitteredScale(ChunkRandom rnd, float d) {
        return Float.floatToFloat16(d * (0.75f + 0.5f * rnd.nextFloat()));
    }

    private static void randomBytes(ChunkRandom rnd, MemorySegment dst, long at, int bytes) {
        for (int i = 0; i < bytes; i += 8) {
            dst.set(U64, at + i, rnd.nextLong());
        }
    }

    private static void q8_0(ChunkRandom rnd, MemorySegment dst, long offset, long blocks, float d) {
        for (long b = 0; b < blocks; b++) {
            long at = offset + b * 34;
            dst.set(F16, at, jitteredScale(rnd, d));
            randomBytes(rnd, dst, at + 2, 32);
            for (int i = 0; i < 32; i++) {
                if (dst.get(ValueLayout.JAVA_BYTE, at + 2 + i) == Byte.MIN_VALUE) {
                    dst.set(ValueLayout.JAVA_BYTE, at + 2 + i, (byte) -127);
                }
            }
        }
    }

    /**
     * Q4_K (144 bytes: d, dmin, 12 packed scale bytes, 128 nibble bytes) and Q5_K (176 bytes: the
     * same header, 32 high-bit bytes, then 128 nibble bytes).
     */
    private static void kQuant(ChunkRandom rnd, MemorySegment dst, long offset, long blocks, float d, int dminRatio,
            float centre, int nibbleBytes, int highBitBytes) {
        int blockBytes = 16 + highBitBytes + nibbleBytes;
        int[] sc = new int[8];
        int[] m = new int[8];
        for (long b = 0; b < blocks; b++) {
            long at = offset + b * blockBytes;
            short dBits = jitteredScale(rnd, d);
            dst.set(F16, at, dBits);
            dst.set(F16, at + 2, Float.floatToFloat16(Float.float16ToFloat(dBits) * dminRatio));
            for (int j = 0; j < 8; j++) {
                sc[j] = rnd.nextInt(16, 31);
                m[j] = Math.round(sc[j] * centre / dminRatio);
            }
            for (int j = 0; j < 4; j++) {
                dst.set(ValueLayout.JAVA_BYTE, at + 4 + j, (byte) (sc[j] | ((sc[j + 4] >> 4) << 6)));
                dst.set(ValueLayout.JAVA_BYTE, at + 8 + j, (byte) (m[j] | ((m[j + 4] >> 4) << 6)));
                dst.set(ValueLayout.JAVA_BYTE, at + 12 + j, (byte) ((sc[j + 4] & 0xF) | ((m[j + 4] & 0xF) << 4)));
            }
            randomBytes(rnd, dst, at + 16, highBitBytes + nibbleBytes);
        }
    }

    /** Q6_K (210 bytes: 128 low-nibble bytes, 64 high-bit bytes, 16 int8 scales, d). */
    private static void q6_K(ChunkRandom rnd, MemorySegment dst, long offset, long blocks, float d) {
        for (long b = 0; b < blocks; b++) {
            long at = offset + b * 210;
            randomBytes(rnd, dst, at, 192);
            for (int j = 0; j < 16; j++) {
                dst.set(ValueLayout.JAVA_BYTE, at + 192 + j, (byte) rnd.nextInt(8, 15));
            }
            dst.set(F16, at + 208, jitteredScale(rnd, d));
        }
    }
}
