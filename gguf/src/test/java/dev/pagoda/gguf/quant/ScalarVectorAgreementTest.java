package dev.pagoda.gguf.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Vector API fast path and the scalar reference give bit-identical floats on fresh random
 * blocks: random quant bytes, random finite f16 scales (normal and subnormal, both signs), at
 * unaligned source offsets and non-zero destination offsets, from heap and native memory.
 */
class ScalarVectorAgreementTest {
    /** Byte offsets of the f16 fields inside one block of each type (the rest of a block is free bits). */
    private static final Map<GgmlType, int[]> HALF_FIELDS = Map.ofEntries(
            Map.entry(GgmlType.Q4_0, new int[] {0}),
            Map.entry(GgmlType.Q4_1, new int[] {0, 2}),
            Map.entry(GgmlType.Q5_0, new int[] {0}),
            Map.entry(GgmlType.Q5_1, new int[] {0, 2}),
            Map.entry(GgmlType.Q8_0, new int[] {0}),
            Map.entry(GgmlType.Q2_K, new int[] {80, 82}),
            Map.entry(GgmlType.Q3_K, new int[] {108}),
            Map.entry(GgmlType.Q4_K, new int[] {0, 2}),
            Map.entry(GgmlType.Q5_K, new int[] {0, 2}),
            Map.entry(GgmlType.Q6_K, new int[] {208}),
            Map.entry(GgmlType.F16, new int[] {0}));

    @Test
    void theVectorPathIsActiveUnderTheProjectsJvmFlags() {
        assertThat(Dequantizers.vectorized())
                .as("Vector API path (preferred species %s)", FloatVector.SPECIES_PREFERRED)
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K",
            "Q5_K", "Q6_K"})
    void vectorAndScalarAgreeBitForBitOnRandomBlocks(GgmlType type) {
        SplittableRandom random = new SplittableRandom(0x5EED0000L + type.id());
        QuantFormat format = QuantFormat.of(type);
        Dequantizer fast = Dequantizers.fast(format);
        Dequantizer scalar = Dequantizers.scalar(format);
        for (int round = 0; round < 40; round++) {
            int blocks = 1 + random.nextInt(type.blockSize() == 1 ? 700 : 24);
            int srcOffset = random.nextInt(9);
            int dstOffset = random.nextInt(5);
            byte[] raw = randomBlocks(type, blocks, srcOffset, random);
            int elements = blocks * type.blockSize();
            float[] expected = new float[dstOffset + elements];
            float[] actual = new float[dstOffset + elements];
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment heap = MemorySegment.ofArray(raw);
                MemorySegment nativeCopy = arena.allocate(raw.length).copyFrom(heap);
                MemorySegment src = round % 2 == 0 ? heap : nativeCopy;
                scalar.dequantize(src, srcOffset, expected, dstOffset, blocks);
                fast.dequantize(src, srcOffset, actual, dstOffset, blocks);
            }
            for (int i = 0; i < elements; i++) {
                int e = Float.floatToRawIntBits(expected[dstOffset + i]);
                int a = Float.floatToRawIntBits(actual[dstOffset + i]);
                if (e != a) {
                    throw new AssertionError(type + " round " + round + ": element " + i + " (block "
                            + i / type.blockSize() + ") vector " + actual[dstOffset + i] + " vs scalar "
                            + expected[dstOffset + i]);
                }
            }
            assertThat(expected).as("the data is not degenerate").containsAnyOf(nonZeros(expected));
        }
    }

    /**
     * The same comparison after the fast path has run long enough for C2 to compile it, so the
     * intrinsified vector code (not only the Vector API's Java fallback) is checked.
     */
    @ParameterizedTest
    @EnumSource(names = {"BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void compiledVectorCodeAgreesWithScalar(GgmlType type) {
        SplittableRandom random = new SplittableRandom(0xC0FFEEL + type.id());
        QuantFormat format = QuantFormat.of(type);
        Dequantizer fast = Dequantizers.fast(format);
        int blocks = type.blockSize() == 1 ? 256 : 8;
        byte[] raw = randomBlocks(type, blocks, 1, random);
        MemorySegment src = MemorySegment.ofArray(raw);
        float[] actual = new float[blocks * type.blockSize()];
        for (int i = 0; i < 6000; i++) {
            fast.dequantize(src, 1, actual, 0, blocks);
        }
        float[] expected = new float[actual.length];
        format.dequantizeScalar(src, 1, expected, 0, blocks);
        for (int i = 0; i < actual.length; i++) {
            assertThat(Float.floatToRawIntBits(actual[i])).as("%s element %d", type, i)
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }

    private static float[] nonZeros(float[] values) {
        for (float v : values) {
            if (v != 0) {
                return new float[] {v};
            }
        }
        return new float[] {Float.NaN};
    }

    /** {@code blocks} random blocks after {@code lead} random bytes; every float field finite and non-zero. */
    static byte[] randomBlocks(GgmlType type, int blocks, int lead, SplittableRandom random) {
        byte[] raw = new byte[lead + blocks * type.typeSize()];
        random.nextBytes(raw);
        MemorySegment s = MemorySegment.ofArray(raw);
        for (int b = 0; b < blocks; b++) {
            long base = lead + (long) b * type.typeSize();
            switch (type) {
                case F32 -> s.set(LittleEndian.FLOAT, base, (float) random.nextGaussian());
                case BF16 -> s.set(LittleEndian.SHORT, base, Bf16.fromFloat((float) (random.nextGaussian() * 10)));
                default -> {
                    for (int field : HALF_FIELDS.get(type)) {
                        s.set(LittleEndian.SHORT, base + field, randomFiniteHalf(random));
                    }
                }
            }
        }
        return raw;
    }

    /** A random f16 that is finite and not zero: any sign, any exponent but 31, any mantissa. */
    static short randomFiniteHalf(SplittableRandom random) {
        int exponent = random.nextInt(31);
        int mantissa = random.nextInt(1024);
        if (exponent == 0 && mantissa == 0) {
            mantissa = 1;
        }
        return (short) ((random.nextBoolean() ? 0x8000 : 0) | (exponent << 10) | mantissa);
    }
}
