package dev.pagoda.gguf.quant;

import static dev.pagoda.gguf.quant.VectorShapes.F;
import static dev.pagoda.gguf.quant.VectorShapes.I;
import static dev.pagoda.gguf.quant.VectorShapes.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/** BF16 fast path: widen each short to int and shift it into the top half of a float. */
final class BF16Vector {
    private BF16Vector() {}

    static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count) {
        int i = 0;
        for (; i <= count - LANES; i += LANES) {
            IntVector wide = (IntVector) VectorShapes.shorts(src, srcOffset + 2L * i).castShape(I, 0);
            wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, dstOffset + i);
        }
        if (i < count) {
            BF16Format.INSTANCE.dequantizeScalar(src, srcOffset + 2L * i, dst, dstOffset + i, count - i);
        }
    }
}
