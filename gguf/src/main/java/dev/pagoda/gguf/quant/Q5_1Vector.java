package dev.pagoda.gguf.quant;

import static dev.pagoda.gguf.quant.VectorShapes.I;
import static dev.pagoda.gguf.quant.VectorShapes.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/** Q5_1 fast path: as Q5_0 without the −16, then q·d + m (not fused). */
final class Q5_1Vector {
    private Q5_1Vector() {}

    static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * Q5_1Format.BYTES;
            float d = Fp16.read(src, b);
            float m = Fp16.read(src, b + 2);
            IntVector qh = IntVector.broadcast(I, src.get(LittleEndian.INT, b + 4));
            int y = dstOffset + i * Q5_1Format.QK;
            for (int j = 0; j < 16; j += LANES) {
                ByteVector q = VectorShapes.bytes(src, b + 8 + j);
                IntVector lo = VectorShapes.toInt(q.and((byte) 0x0F)).or(Q5_0Vector.fifthBit(qh, j));
                IntVector hi = VectorShapes.toInt(q.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F))
                        .or(Q5_0Vector.fifthBit(qh, j + 16));
                VectorShapes.toFloat(lo).mul(d).add(m).intoArray(dst, y + j);
                VectorShapes.toFloat(hi).mul(d).add(m).intoArray(dst, y + 16 + j);
            }
        }
    }
}
