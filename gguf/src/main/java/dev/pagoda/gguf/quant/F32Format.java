package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/** F32: little-endian IEEE binary32, one value per "block". */
public final class F32Format implements QuantFormat {
    public static final F32Format INSTANCE = new F32Format();

    private F32Format() {}

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public void dequantizeScalar(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks) {
        MemorySegment.copy(src, LittleEndian.FLOAT, srcOffset, dst, dstOffset, blocks);
    }

    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int blocks) {
        MemorySegment.copy(src, srcOffset, dst, LittleEndian.FLOAT, dstOffset, blocks);
    }
}
