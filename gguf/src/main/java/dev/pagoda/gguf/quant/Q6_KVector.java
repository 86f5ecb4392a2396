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
                for (int k = 0; k < 4; k++) {
                    // quarter k: the low (k < 2) or high (k >= 2) nibble of ql[l] (k even) or ql[32 + l] (k odd),
                    // top bits 2k..2k+1 of qh[l], scale sc[l/16 + 2k], output y + 32k + l
                    long low = ql + 32 * (k & 1);
                    int lowShift = 4 * (k >> 1);
                    for (int l = 0; l < 32; l += LANES) {
                        float scale = d * src.get(LittleEndian.BYTE, sc + l / 16 + 2 * k);
                        ByteVector q = VectorShapes.bytes(src, low + l).lanewise(VectorOperators.LSHR, lowShift)
                                .and((byte) 0x0F)
                                .or(topBits(VectorShapes.bytes(src, qh + l), 2 * k))
                                .sub((byte) 32);
                        VectorShapes.toFloat(q).mul(scale).intoArray(dst, y + 32 * k + l);
                    }
                }
            }
        }
    }

    /** Bits {@code shift..shift+1} of each lane moved to bits 4-5. */
    private static ByteVector topBits(ByteVector hb, int shift) {
        return hb.lanewise(VectorOperators.LSHR, shift).and((byte) 3).lanewise(VectorOperators.LSHL, 4);
    }
}
