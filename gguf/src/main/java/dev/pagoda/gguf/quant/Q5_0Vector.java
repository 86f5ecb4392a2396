package dev.pagoda.gguf.quant;

import static dev.pagoda.gguf.quant.VectorShapes.I;
import static dev.pagoda.gguf.quant.VectorShapes.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q5_0 fast path: nibbles widened to int lanes, the fifth bit of lane j taken from {@code qh >>> j}
 * by a per-lane variable shift, minus 16, converted to float, multiplied by d.
 */
final class Q5_0Vector {
    private static final IntVector IOTA = IntVector.zero(I).addIndex(1);

    private Q5_0Vector() {}

    static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * Q5_0Format.BYTES;
            float d = Fp16.read(src, b);
            IntVector qh = IntVector.broadcast(I, src.get(LittleEndian.INT, b + 2));
            int y = dstOffset + i * Q5_0Format.QK;
            for (int j = 0; j < 16; j += LANES) {
                ByteVector q = VectorShapes.bytes(src, b + 6 + j);
                IntVector lo = VectorShapes.toInt(q.and((byte) 0x0F)).or(fifthBit(qh, j)).sub(16);
                IntVector hi = VectorShapes.toInt(q.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F))
                        .or(fifthBit(qh, j + 16)).sub(16);
                VectorShapes.toFloat(lo).mul(d).intoArray(dst, y + j);
                VectorShapes.toFloat(hi).mul(d).intoArray(dst, y + 16 + j);
            }
        }
    }

    /** Bit {@code first + lane} of {@code qh}, moved to bit 4 of each lane. */
    static IntVector fifthBit(IntVector qh, int first) {
        return qh.lanewise(VectorOperators.LSHR, IOTA.add(first)).and(1).lanewise(VectorOperators.LSHL, 4);
    }
}
