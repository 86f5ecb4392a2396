package dev.pagoda.gguf.quant;

import static dev.pagoda.gguf.quant.VectorShapes.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

/** Q4_0 fast path: split nibbles in byte lanes, subtract 8, widen to float, multiply by d. */
final class Q4_0Vector {
    private Q4_0Vector() {}

    static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * Q4_0Format.BYTES;
            float d = Fp16.read(src, b);
            int y = dstOffset + i * Q4_0Format.QK;
            for (int j = 0; j < 16; j += LANES) {
                ByteVector q = VectorShapes.bytes(src, b + 2 + j);
                ByteVector lo = q.and((byte) 0x0F).sub((byte) 8);
                ByteVector hi = q.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F).sub((byte) 8);
                VectorShapes.toFloat(lo).mul(d).intoArray(dst, y + j);
                VectorShapes.toFloat(hi).mul(d).intoArray(dst, y + 16 + j);
            }
        }
    }
}
