package dev.pagoda.gguf.quant;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every fast dequantizer uses: the preferred float vector ({@code F}, 8 lanes on
 * AVX2, 16 on AVX-512) and byte, short and int vectors with the same lane count, so that one byte
 * load widens to exactly one float vector. Loaded only once {@link VectorDequantizers} has checked
 * that the lane count is 8 or 16.
 */
final class VectorShapes {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int LANES = F.length();
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(LANES * 8));
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(LANES * 16));
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private VectorShapes() {}

    /** {@code LANES} bytes at {@code offset}. */
    static ByteVector bytes(java.lang.foreign.MemorySegment src, long offset) {
        return ByteVector.fromMemorySegment(B, src, offset, LE);
    }

    /** {@code LANES} little-endian shorts at {@code offset}. */
    static ShortVector shorts(java.lang.foreign.MemorySegment src, long offset) {
        return ShortVector.fromMemorySegment(S, src, offset, LE);
    }

    /** Signed bytes widened to float, lane for lane (exact). */
    static FloatVector toFloat(ByteVector v) {
        return (FloatVector) v.castShape(F, 0);
    }

    /** Signed ints converted to float, lane for lane (exact for the small values used here). */
    static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.castShape(F, 0);
    }

    /** Signed bytes widened to int, lane for lane. */
    static IntVector toInt(ByteVector v) {
        return (IntVector) v.castShape(I, 0);
    }
}
