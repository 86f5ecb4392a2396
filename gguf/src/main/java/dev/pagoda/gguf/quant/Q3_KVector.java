package dev.pagoda.gguf.quant;

import static dev.pagoda.gguf.quant.VectorShapes.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q3_K fast path: low 2 bits and the hmask bit combined in byte lanes as {@code low + 4·high − 4}
 * (equal to ggml's {@code low − (high ? 0 : 4)}), widened to float, multiplied by d·scale.
 */
final class Q3_KVector {
    private Q3_KVector() {}

    static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * Q3_KFormat.BYTES;
            float dAll = Fp16.read(src, b + 108);
            int y = dstOffset + i * Q3_KFormat.QK;
            int is = 0;
            for (int h = 0; h < 2; h++) {
                for (int j = 0; j < 4; j++) {
                    int bit = 4 * h + j;
                    for (int half = 0; half < 2; half++) {
                        float dl = dAll * KQuantScales.q3Scale(src, b + 96, is++);
                        long q = b + 32 + 32L * h + 16 * half;
                        long hm = b + 16 * half;
                        for (int l = 0; l < 16; l += LANES) {
                            ByteVector low = VectorShapes.bytes(src, q + l)
                                    .lanewise(VectorOperators.LSHR, 2 * j).and((byte) 3);
                            ByteVector high = VectorShapes.bytes(src, hm + l)
                                    .lanewise(VectorOperators.LSHR, bit).and((byte) 1)
                                    .lanewise(VectorOperators.LSHL, 2);
                            VectorShapes.toFloat(low.or(high).sub((byte) 4)).mul(dl).intoArray(dst, y + l);
                        }
                        y += 16;
                    }
                }
            }
        }
    }
}
