package dev.pagoda.gguf.quant;

import static dev.pagoda.gguf.quant.VectorShapes.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

/** Q4_K fast path: nibbles in byte lanes, widened to float, then d1·q − m1 (not fused). */
final class Q4_KVector {
    private Q4_KVector() {}

    static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * Q4_KFormat.BYTES;
            float d = Fp16.read(src, b);
            float min = Fp16.read(src, b + 2);
            int y = dstOffset + i * Q4_KFormat.QK;
            for (int c = 0; c < 4; c++) {
                float d1 = d * KQuantScales.scale(src, b + 4, 2 * c);
                float m1 = min * KQuantScales.min(src, b + 4, 2 * c);
                float d2 = d * KQuantScales.scale(src, b + 4, 2 * c + 1);
                float m2 = min * KQuantScales.min(src, b + 4, 2 * c + 1);
                long q = b + 16 + 32L * c;
                int out = y + 64 * c;
                for (int l = 0; l < 32; l += LANES) {
                    ByteVector v = VectorShapes.bytes(src, q + l);
                    VectorShapes.toFloat(v.and((byte) 0x0F)).mul(d1).sub(m1).intoArray(dst, out + l);
                    VectorShapes.toFloat(v.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F))
                            .mul(d2).sub(m2).intoArray(dst, out + 32 + l);
                }
            }
        }
    }
}
