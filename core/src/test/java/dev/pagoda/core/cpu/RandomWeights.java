package dev.pagoda.core.cpu;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

/** Random weight rows in any supported ggml format: random quant bytes, finite random scales. */
final class RandomWeights {
    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private RandomWeights() {}

    /** rows × n elements of {@code type}, laid out as in a GGUF tensor, in native memory. */
    static MemorySegment rows(GgmlType type, int rows, int n, Random rnd) {
        long rowBytes = type.byteSize(n);
        MemorySegment seg = Arena.ofAuto().allocate(rowBytes * rows, 32);
        byte[] bytes = new byte[(int) (rowBytes * rows)];
        rnd.nextBytes(bytes);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, seg, 0, bytes.length);
        long blocks = (long) rows * n / type.blockSize();
        for (long b = 0; b < blocks; b++) {
            long o = b * type.typeSize();
            switch (type) {
                case F32 -> seg.set(FLOAT_LE, o, (float) rnd.nextGaussian());
                case F16 -> seg.set(SHORT_LE, o, Float.floatToFloat16((float) rnd.nextGaussian()));
                case BF16 -> seg.set(SHORT_LE, o, (short) (Float.floatToIntBits((float) rnd.nextGaussian()) >>> 16));
                case Q4_0, Q5_0, Q8_0 -> seg.set(SHORT_LE, o, scale(rnd));
                case Q4_1, Q5_1 -> {
                    seg.set(SHORT_LE, o, scale(rnd));
                    seg.set(SHORT_LE, o + 2, Float.floatToFloat16((float) (-0.1 * rnd.nextDouble())));
                }
                case Q2_K -> {
                    seg.set(SHORT_LE, o + 80, scale(rnd));
                    seg.set(SHORT_LE, o + 82, scale(rnd));
                }
                case Q3_K -> seg.set(SHORT_LE, o + 108, scale(rnd));
                case Q4_K, Q5_K -> {
                    seg.set(SHORT_LE, o, scale(rnd));
                    seg.set(SHORT_LE, o + 2, scale(rnd));
                }
                case Q6_K -> seg.set(SHORT_LE, o + 208, scale(rnd));
                default -> throw new IllegalArgumentException(type.name());
            }
        }
        return seg;
    }

    private static short scale(Random rnd) {
        return Float.floatToFloat16((float) (0.001 + 0.05 * rnd.nextDouble()));
    }

    static float[] gaussian(int n, Random rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
