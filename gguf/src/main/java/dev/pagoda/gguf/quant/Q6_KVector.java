package dev.pagoda.gguf.quant;

import static dev.pagoda.gguf.quant.VectorShapes.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q6_K fast path: the four 6-bit quants of each (ql, ql+32, qh) byte triple assembled in byte lanes
 * minus 32, widened to float, multiplied by (d·scale) — the same two roundings as ggml's
 * {@code d * sc * q}.
 */
final class Q6_KVector {
    private Q6_KVector() {}

    static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * Q6_KFormat.BYTES;
            float d = Fp16.read(src, b + 208);
            for (int h = 0; h < 2; h++) {
                long ql = b + 64L * h;
                long qh = b + 128 + 32L * h;
                long sc = b + 192 + 8L * h;
                int y = dstOffset + i * Q6_KFormat.QK + 128 * h;
                for (int l = 0; l < 32; l += LANES) {
                    int is = l / 16;
                    ByteVector a = VectorShapes.bytes(src, ql + l);
                    ByteVector c = VectorShapes.bytes(src, ql + 32 + l);
                    ByteVector hb = VectorShapes.bytes(src, qh + l);
                    ByteVector q1 = a.and((byte) 0x0F).or(topBits(hb, 0)).sub((byte) 32);
                    ByteVector q2 = c.and((byte) 0x0F).or(topBits(hb, 2)).sub((byte) 32);
                    ByteVector q3 = a.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F).or(topBits(hb, 4))
                            .sub((byte) 32);
                    ByteVector q4 = c.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F).or(topBits(hb, 6))
                            .sub((byte) 32);
                    VectorShapes.toFloat(q1).mul(d * src.get(LittleEndian.BYTE, sc + is)).intoArray(dst, y + l);
                    VectorShapes.toFloat(q2).mul(d * src.get(LittleEndian.BYTE, sc + is + 2))
                            .intoArray(dst, y + 32 + l);
                    VectorShapes.toFloat(q3).mul(d * src.get(LittleEndian.BYTE, sc + is + 4))
                            .intoArray(dst, y + 64 + l);
                    VectorShapes.toFloat(q4).mul(d * src.get(LittleEndian.BYTE, sc + is + 6))
                            .intoArray(dst, y + 96 + l);
                }
            }
        }
    }

    /** Bits {@code shift..shift+1} of each lane moved to bits 4-5. */
    private static ByteVector topBits(ByteVector hb, int shift) {
        return hb.lanewise(VectorOperators.LSHR, shift).and((byte) 3).lanewise(VectorOperators.LSHL, 4);
    }
}
