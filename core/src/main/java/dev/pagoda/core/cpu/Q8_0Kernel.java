package dev.pagoda.core.cpu;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Q8_0: 34-byte blocks of 32 values; {@code d} f16 @0, {@code qs} int8[32] @2; value = q·d. */
public final class Q8_0Kernel implements RowKernel {
    static final Q8_0Kernel INSTANCE = new Q8_0Kernel();
    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 34;
    private static final VectorSpecies<Float> F = QuantLanes.F;
    private static final VectorSpecies<Byte> B = QuantLanes.B;
    private static final int L = QuantLanes.L;

    private Q8_0Kernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public float dot(MemorySegment w, long offset, float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < n / BLOCK; b++) {
            long o = offset + (long) b * BLOCK_BYTES;
            int xo = xOff + b * BLOCK;
            FloatVector block = FloatVector.zero(F);
            for (int g = 0; g < BLOCK; g += L) {
                FloatVector q = (FloatVector) ByteVector.fromMemorySegment(B, w, o + 2 + g, ByteOrder.LITTLE_ENDIAN)
                        .castShape(F, 0);
                block = q.fma(FloatVector.fromArray(F, x, xo + g), block);
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
            for (int j = 0; j < BLOCK; j++) {
                sum += Bytes.i8(w, o + 2 + j) * d * x[xOff + b * BLOCK + j];
            }
        }
        return sum;
    }

    @Override
    public void dequantizeRow(MemorySegment w, long offset, float[] out, int outOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long o = offset + (long) b * BLOCK_BYTES;
            float d = Bytes.f16(w, o);
            for (int j = 0; j < BLOCK; j++) {
                out[outOff + b * BLOCK + j] = Bytes.i8(w, o + 2 + j) * d;
            }
        }
    }
}
