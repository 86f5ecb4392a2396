package dev.pagoda.core.cpu;

import dev.pagoda.gguf.quant.KQuantScales;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The eight 6-bit scales and eight 6-bit mins of a Q4_K / Q5_K super-block (12 packed bytes, ggml's
 * {@code get_scale_min_k4}, as {@code KQuantScales} reads them one at a time) unpacked by vector
 * operations into one 16-lane float vector {@code [d·sc_0..7, dmin·m_0..7]}. Why: unpacked with scalar
 * shifts and masks they cost ~80 integer operations per 256 weights, which on Intel cores share ports
 * 0 and 5 with the row dot's vector work; here they are a dozen vector operations (docs/perf/NOTES.md,
 * "q4_K scales by vector operations"). Each product is the same float multiply {@code d·sc} as the
 * scalar form, so the results are bit-identical. Where the quantized kernels run 8 lanes (no 512-bit
 * vectors, or {@code -Dpagoda.cpu.vectorBits=256}) the same floats come from the scalar reader instead,
 * since emulated 512-bit vectors would be slow.
 */
final class KQuantScaleLanes {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    // Lanes 0..3: sc_j = b[j] & 63; 4..7: sc_j = (b[j+4] & 15) | (b[j-4] >> 6) << 4;
    // 8..11: m_j = b[j+4] & 63; 12..15: m_j = (b[j+4] >> 4) | (b[j] >> 6) << 4 (j = lane mod 8).
    private static final VectorShuffle<Integer> LOW_BYTES = VectorShuffle.fromValues(I,
            0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11);
    private static final IntVector LOW_SHIFT = IntVector.fromArray(I,
            new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4}, 0);
    private static final IntVector LOW_MASK = IntVector.fromArray(I,
            new int[] {63, 63, 63, 63, 15, 15, 15, 15, 63, 63, 63, 63, 15, 15, 15, 15}, 0);
    private static final VectorShuffle<Integer> TOP_BYTES = VectorShuffle.fromValues(I,
            0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 4, 5, 6, 7);
    private static final IntVector TOP_MASK = IntVector.fromArray(I,
            new int[] {0, 0, 0, 0, 48, 48, 48, 48, 0, 0, 0, 0, 48, 48, 48, 48}, 0);

    /** 512-bit vectors are native here (the quantized kernels run 16 lanes); else the scalar form, same floats. */
    private static final boolean VECTOR = QuantLanes.L == 16;

    private KQuantScaleLanes() {}

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[16]);

    /**
     * This thread's 16 floats for {@link #unpack}'s output. A row dot that allocated them per call put 80
     * bytes of garbage per row on the heap (~2 GB/s at 16 threads, young collections that stop every
     * thread), because the array escapes into {@code unpack} and is read at variable indices.
     */
    static float[] scratch() {
        return SCRATCH.get();
    }

    /**
     * Writes {@code d·sc_j} to out[j] and {@code dmin·m_j} to out[8 + j] for the packed bytes at
     * {@code offset} (the 16 bytes read there must lie inside {@code w}: true for a Q4_K or Q5_K block,
     * whose quants follow its scales).
     */
    static void unpack(MemorySegment w, long offset, float d, float dmin, float[] out) {
        if (!VECTOR) {
            long low = KQuantScales.low(w, offset);
            int high = KQuantScales.high(w, offset);
            for (int j = 0; j < 8; j++) {
                out[j] = d * KQuantScales.scale(low, high, j);
                out[8 + j] = dmin * KQuantScales.min(low, high, j);
            }
            return;
        }
        unpackVector(w, offset, d, dmin, out);
    }

    /** {@link #unpack} by vector operations on any machine (tested everywhere; slow without 512-bit vectors). */
    static void unpackVector(MemorySegment w, long offset, float d, float dmin, float[] out) {
        IntVector packed = (IntVector) ByteVector.fromMemorySegment(B, w, offset, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
        IntVector low = packed.rearrange(LOW_BYTES).lanewise(VectorOperators.LSHR, LOW_SHIFT).and(LOW_MASK);
        IntVector top = packed.rearrange(TOP_BYTES).lanewise(VectorOperators.LSHR, 2).and(TOP_MASK);
        FloatVector factor = FloatVector.broadcast(F, d).blend(dmin, F.indexInRange(-8, 8));
        ((FloatVector) low.or(top).convert(VectorOperators.I2F, 0)).mul(factor).intoArray(out, 0);
    }
}
