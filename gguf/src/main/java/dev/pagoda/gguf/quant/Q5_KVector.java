package dev.pagoda.gguf.quant;

import static dev.pagoda.gguf.quant.VectorShapes.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

/** Q5_K fast path: nibble plus the qh bit moved to bit 4, in byte lanes; then d1·q − m1. */
final class Q5_KVector {
    private Q5_KVector() {}

    static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * Q5_KFormat.BYTES;
            float d = Fp16.read(src, b);
            float min = Fp16.read(src, b + 2);
            int y = dstOffset + i * Q5_KFormat.QK;
            for (int c = 0; c < 4; c++) {
                float d1 = d * KQuantScales.scale(src, b + 4, 2 * c);
                float m1 = min * KQuantScales.min(src, b + 4, 2 * c);
                float d2 = d * KQuantScales.scale(src, b + 4, 2 * c + 1);
                float m2 = min * KQuantScales.min(src, b + 4, 2 * c + 1);
                long ql = b + 48 + 32L * c;
                int out = y + 64 * c;
                for (int l = 0; l < 32; l += LANES) {
                    ByteVector v = VectorShapes.bytes(src, ql + l);
                    ByteVector h = VectorShapes.bytes(src, b + 16 + l);
                    ByteVector lo = v.and((byte) 0x0F).or(bitToSixteen(h, 2 * c));
                    ByteVector hi = v.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F).or(bitToSixteen(h, 2 * c + 1));
                    VectorShapes.toFloat(lo).mul(d1).sub(m1).intoArray(dst, out + l);
                    VectorShapes.toFloat(hi).mul(d2).sub(m2).intoArray(dst, out + 32 + l);
                }
            }
        }
    }

    private static ByteVector bitToSixteen(ByteVector h, int bit) {
        return h.lanewise(VectorOperators.LSHR, bit).and((byte) 1).lanewise(VectorOperators.LSHL, 4);
    }
}
