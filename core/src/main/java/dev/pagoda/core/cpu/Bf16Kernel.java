package dev.pagoda.core.cpu;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** bfloat16 rows: the upper 16 bits of a float32. */
public final class Bf16Kernel implements RowKernel {
    static final Bf16Kernel INSTANCE = new Bf16Kernel();
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;

    private Bf16Kernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    static float bf16(MemorySegment w, long offset) {
        return Float.intBitsToFloat(w.get(Bytes.SHORT_LE, offset) << 16);
    }

    @Override
    public float dot(MemorySegment w, long offset, float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            FloatVector wv = ((IntVector) ShortVector.fromMemorySegment(S, w, offset + 2L * i, ByteOrder.LITTLE_ENDIAN)
                            .convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats();
            acc = wv.fma(FloatVector.fromArray(F, x, xOff + i), acc);
        }
        float sum = 0;
        for (int lane = 0; lane < acc.length(); lane++) {
            sum += acc.lane(lane);
        }
        for (; i < n; i++) {
            sum += bf16(w, offset + 2L * i) * x[xOff + i];
        }
        return sum;
    }

    @Override
    public float dotScalar(MemorySegment w, long offset, float[] x, int xOff, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += bf16(w, offset + 2L * i) * x[xOff + i];
        }
        return sum;
    }

    @Override
    public void dequantizeRow(MemorySegment w, long offset, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = bf16(w, offset + 2L * i);
        }
    }
}
