package dev.pagoda.bench.cuda;

import dev.pagoda.cuda.kernels.WeightType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/** Random weight matrices with valid f16 scales for timing: never zeros, never inf or NaN scales. */
final class BenchWeights {
    private BenchWeights() {
    }

    static void fill(WeightType type, MemorySegment m, int rows, int cols, long seed) {
        Random random = new Random(seed);
        byte[] bytes = new byte[(int) m.byteSize()];
        random.nextBytes(bytes);
        MemorySegment.copy(bytes, 0, m, ValueLayout.JAVA_BYTE, 0, bytes.length);
        long blocks = (long) rows * cols / type.blockElements();
        for (long b = 0; b < blocks; b++) {
            long at = b * type.blockBytes();
            switch (type) {
                case F16, BF16 -> m.set(ValueLayout.JAVA_SHORT_UNALIGNED, at,
                        type == WeightType.F16 ? Float.floatToFloat16((float) random.nextGaussian())
                                : (short) (Float.floatToIntBits((float) random.nextGaussian()) >>> 16));
                case Q8_0, Q4_0 -> m.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, Float.floatToFloat16(0.01f + 0.01f * random.nextFloat()));
                case Q4_K, Q5_K -> {
                    m.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, Float.floatToFloat16(0.002f + 0.01f * random.nextFloat()));
                    m.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 2, Float.floatToFloat16(0.002f + 0.01f * random.nextFloat()));
                }
                case Q6_K -> m.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 208, Float.floatToFloat16(0.001f + 0.004f * random.nextFloat()));
            }
        }
    }
}
