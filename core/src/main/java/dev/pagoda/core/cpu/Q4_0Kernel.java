package dev.pagoda.core.cpu;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Q4_0: 18-byte blocks of 32 values; {@code d} f16 @0, {@code qs[16]} @2. Element j (0..15) is
 * the low nibble of qs[j], element j+16 the high nibble; value = (nibble − 8)·d.
 */
public final class Q4_0Kernel implements RowKernel {
    static final Q4_0Kernel INSTANCE = new Q4_0Kernel();
    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 18;
    private static final VectorSpecies<Float> F = QuantLanes.F;
    private static final VectorSpecies<Integer> I = QuantLanes.I;
    private static final VectorSpecies<Byte> B = QuantLanes.B;
    private static final int L = QuantLanes.L;

    private Q4_0Kernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public float dot(MemorySegment w, long offset, float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < n / BLOCK; b++) {
            long o = offset + (long) b * BLOCK_BYTES;
            int xo = xOff + b * BLOCK;
            FloatVector block = FloatVector.zero(F);
            for (int g = 0; g < 16; g += L) {
                IntVector qs = ((IntVector) ByteVector.fromMemorySegment(B, w, o + 2 + g, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2I, I, 0));
                FloatVector lo = ((FloatVector) qs.and(0x0F).sub(8).convert(VectorOperators.I2F, 0));
                FloatVector hi = ((FloatVector) qs.lanewise(VectorOperators.ASHR, 4).and(0x0F).sub(8).convert(VectorOperators.I2F, 0));
                block = lo.fma(FloatVector.fromArray(F, x, xo + g), block);
                block = hi.fma(FloatVector.fromArray(F, x, xo + 16 + g), block);
            }
            acc = block.fma(FloatVector.broadcast(F, Bytes.f16(w, o)), acc);
        }
        float lanesSum = 0;
        for (int lane = 0; lane < acc.length(); lane++) {
            lanesSum += acc.lane(lane);
        }
        return lanesSum;
    }

    @Override
    public float dotScalar(MemorySegment w, long offset, float[] x, int xOff, int n) {
        float sum = 0;
        for (int b = 0; b < n / BLOCK; b++) {
            long o = offset + (long) b * BLOCK_BYTES;
            float d = Bytes.f16(w, o);
            int xo = xOff + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(w, o + 2 + j);
                sum += ((q & 0x0F) - 8) * d * x[xo + j];
                sum += ((q >>> 4) - 8) * d * x[xo + 16 + j];
            }
        }
        return sum;
    }

    @Override
    public void dequantizeRow(MemorySegment w, long offset, float[] out, int outOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long o = offset + (long) b * BLOCK_BYTES;
            float d = Bytes.f16(w, o);
            int yo = outOff + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(w, o + 2 + j);
                out[yo + j] = ((q & 0x0F) - 8) * d;
                out[yo + 16 + j] = ((q >>> 4) - 8) * d;
            }
        }
    }
}
