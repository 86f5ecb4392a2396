package dev.pagoda.gguf.quant;

import static dev.pagoda.gguf.quant.VectorShapes.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.VectorOperators;

/** Q2_K fast path: 2-bit fields in byte lanes, widened to float, then d·scale·q − dmin·min. */
final class Q2_KVector {
    private Q2_KVector() {}

    static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * Q2_KFormat.BYTES;
            float d = Fp16.read(src, b + 80);
            float min = Fp16.read(src, b + 82);
            int y = dstOffset + i * Q2_KFormat.QK;
            int is = 0;
            for (int h = 0; h < 2; h++) {
                for (int j = 0; j < 4; j++) {
                    for (int half = 0; half < 2; half++) {
                        int sc = src.get(LittleEndian.BYTE, b + is++) & 0xFF;
                        float dl = d * (sc & 0xF);
                        float ml = min * (sc >>> 4);
                        long q = b + 16 + 32L * h + 16 * half;
                        for (int l = 0; l < 16; l += LANES) {
                            VectorShapes.toFloat(VectorShapes.bytes(src, q + l)
                                            .lanewise(VectorOperators.LSHR, 2 * j).and((byte) 3))
                                    .mul(dl).sub(ml).intoArray(dst, y + l);
                        }
                        y += 16;
                    }
                }
            }
        }
    }
}
