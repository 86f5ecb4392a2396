package dev.pagoda.gguf.quant;

import static dev.pagoda.gguf.quant.VectorShapes.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

/** Q4_1 fast path: split nibbles, widen to float, multiply by d, then add m (not fused). */
final class Q4_1Vector {
    private Q4_1Vector() {}

    static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * Q4_1Format.BYTES;
            float d = Fp16.read(src, b);
            float m = Fp16.read(src, b + 2);
            int y = dstOffset + i * Q4_1Format.QK;
            for (int j = 0; j < 16; j += LANES) {
                ByteVector q = VectorShapes.bytes(src, b + 4 + j);
                ByteVector lo = q.and((byte) 0x0F);
                ByteVector hi = q.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F);
                VectorShapes.toFloat(lo).mul(d).add(m).intoArray(dst, y + j);
                VectorShapes.toFloat(hi).mul(d).add(m).intoArray(dst, y + 16 + j);
            }
        }
    }
}
