package dev.pagoda.gguf.quant;

import static dev.pagoda.gguf.quant.VectorShapes.LANES;

import java.lang.foreign.MemorySegment;

/** Q8_0 fast path: widen LANES int8 quants to float and multiply by d. */
final class Q8_0Vector {
    private Q8_0Vector() {}

    static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long b = srcOffset + (long) i * Q8_0Format.BYTES;
            float d = Fp16.read(src, b);
            int y = dstOffset + i * Q8_0Format.QK;
            for (int j = 0; j < Q8_0Format.QK; j += LANES) {
                VectorShapes.toFloat(VectorShapes.bytes(src, b + 2 + j)).mul(d).intoArray(dst, y + j);
            }
        }
    }
}
