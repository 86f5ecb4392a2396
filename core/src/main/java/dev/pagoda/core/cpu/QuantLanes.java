package dev.pagoda.core.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width of the quantized kernels: L quant bytes widen to L int lanes and then to one
 * L-lane float vector, so the byte, int and float species are chosen together. L is the
 * machine's preferred float width (8 lanes on AVX2, 16 on AVX-512), kept to 8 or 16 because
 * every block's groups (16, 32 values) split evenly into them. {@code -Dpagoda.cpu.vectorBits=256}
 * (or 512) overrides it, for machines where 512-bit vectors lower the clock and for comparisons.
 */
final class QuantLanes {
    /** Float lanes per vector. */
    static final int L;
    static final VectorSpecies<Float> F;
    static final VectorSpecies<Integer> I;
    /** L bytes: one vector of quants before widening. */
    static final VectorSpecies<Byte> B;

    static {
        String forced = System.getProperty("pagoda.cpu.vectorBits");
        int bits = forced != null ? Integer.parseInt(forced.trim()) : FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (bits != 256 && bits != 512) {
            if (forced != null) {
                throw new IllegalArgumentException("pagoda.cpu.vectorBits must be 256 or 512, got " + forced);
            }
            bits = bits > 512 ? 512 : 256;
        }
        L = bits / 32;
        F = FloatVector.SPECIES_PREFERRED.vectorBitSize() == bits ? FloatVector.SPECIES_PREFERRED
                : VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
        I = VectorSpecies.of(int.class, VectorShape.forBitSize(bits));
        B = ByteVector.SPECIES_64.vectorBitSize() == bits / 4 ? ByteVector.SPECIES_64 : ByteVector.SPECIES_128;
    }

    private QuantLanes() {}
}
