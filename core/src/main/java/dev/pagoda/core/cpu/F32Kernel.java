package dev.pagoda.core.cpu;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Plain little-endian float32 rows. */
public final class F32Kernel implements RowKernel {
    static final F32Kernel INSTANCE = new F32Kernel();
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;

    private F32Kernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public float dot(MemorySegment w, long offset, float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            FloatVector wv = FloatVector.fromMemorySegment(F, w, offset + 4L * i, ByteOrder.LITTLE_ENDIAN);
            acc = wv.fma(FloatVector.fromArray(F, x, xOff + i), acc);
        }
        float sum = 0;
        for (int lane = 0; lane < acc.length(); lane++) {
            sum += acc.lane(lane);
        }
        for (; i < n; i++) {
            sum += w.get(Bytes.FLOAT_LE, offset + 4L * i) * x[xOff + i];
        }
        return sum;
    }

    @Override
    public float dotScalar(MemorySegment w, long offset, float[] x, int xOff, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += w.get(Bytes.FLOAT_LE, offset + 4L * i) * x[xOff + i];
        }
        return sum;
    }

    @Override
    public void dequantizeRow(MemorySegment w, long offset, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = w.get(Bytes.FLOAT_LE, offset + 4L * i);
        }
    }
}
