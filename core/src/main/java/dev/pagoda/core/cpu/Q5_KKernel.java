package dev.pagoda.core.cpu;

import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.quant.KQuantScales;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Q5_K: 176-byte super-blocks of 256 values; {@code d} f16 @0, {@code dmin} f16 @2,
 * {@code scales[12]} @4, {@code qh[32]} @16, {@code qs[128]} @48. As Q4_K, plus a fifth bit:
 * bit 2j of qh[l] for value l of sub-block 2j, bit 2j+1 for sub-block 2j+1.
 */
public final class Q5_KKernel implements RowKernel {
    static final Q5_KKernel INSTANCE = new Q5_KKernel();
    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 176;
    private static final VectorSpecies<Float> F = QuantLanes.F;
    private static final VectorSpecies<Integer> I = QuantLanes.I;
    private static final VectorSpecies<Byte> B = QuantLanes.B;
    private static final int L = QuantLanes.L;

    private Q5_KKernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    @Override
    public float dot(MemorySegment w, long offset, float[] x, int xOff, int n) {
        float[] dm = KQuantScaleLanes.scratch();  // d·sc_0..7, dmin·m_0..7 of the current block (KQuantScaleLanes)
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < n / BLOCK; b++) {
            long o = offset + (long) b * BLOCK_BYTES;
            KQuantScaleLanes.unpack(w, o + 4, Bytes.f16(w, o), Bytes.f16(w, o + 2), dm);
            for (int j = 0; j < 4; j++) {
                long qo = o + 48 + 32L * j;
                int xo = xOff + b * BLOCK + 64 * j;
                FloatVector qxLo = FloatVector.zero(F);
                FloatVector qxHi = FloatVector.zero(F);
                FloatVector xLo = FloatVector.zero(F);
                FloatVector xHi = FloatVector.zero(F);
                for (int g = 0; g < 32; g += L) {
                    IntVector qs = ((IntVector) ByteVector.fromMemorySegment(B, w, qo + g, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2I, I, 0));
                    IntVector qh = ((IntVector) ByteVector.fromMemorySegment(B, w, o + 16 + g, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2I, I, 0));
                    IntVector h0 = qh.lanewise(VectorOperators.ASHR, 2 * j).and(1).lanewise(VectorOperators.LSHL, 4);
                    IntVector h1 = qh.lanewise(VectorOperators.ASHR, 2 * j + 1).and(1).lanewise(VectorOperators.LSHL, 4);
                    FloatVector lo = ((FloatVector) qs.and(0x0F).or(h0).convert(VectorOperators.I2F, 0));
                    FloatVector hi = ((FloatVector) qs.lanewise(VectorOperators.ASHR, 4).and(0x0F).or(h1).convert(VectorOperators.I2F, 0));
                    FloatVector x0 = FloatVector.fromArray(F, x, xo + g);
                    FloatVector x1 = FloatVector.fromArray(F, x, xo + 32 + g);
                    qxLo = lo.fma(x0, qxLo);
                    qxHi = hi.fma(x1, qxHi);
                    xLo = xLo.add(x0);
                    xHi = xHi.add(x1);
                }
                acc = qxLo.fma(FloatVector.broadcast(F, dm[2 * j]), acc);
                acc = xLo.fma(FloatVector.broadcast(F, -dm[8 + 2 * j]), acc);
                acc = qxHi.fma(FloatVector.broadcast(F, dm[2 * j + 1]), acc);
                acc = xHi.fma(FloatVector.broadcast(F, -dm[9 + 2 * j]), acc);
            }
        }
        float lanesSum = 0;
        for (int lane = 0; lane < acc.length(); lane++) {
            lanesSum += acc.lane(lane);
        }
        return lanesSum;
    }

    @Override
    public void dequantizeRow(MemorySegment w, long offset, float[] out, int outOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long o = offset + (long) b * BLOCK_BYTES;
            float d = Bytes.f16(w, o);
            float dmin = Bytes.f16(w, o + 2);
            long scLo = KQuantScales.low(w, o + 4);
            int scHi = KQuantScales.high(w, o + 4);
            for (int j = 0; j < 4; j++) {
                float d1 = d * KQuantScales.scale(scLo, scHi, 2 * j);
                float m1 = dmin * KQuantScales.min(scLo, scHi, 2 * j);
                float d2 = d * KQuantScales.scale(scLo, scHi, 2 * j + 1);
                float m2 = dmin * KQuantScales.min(scLo, scHi, 2 * j + 1);
                int yo = outOff + b * BLOCK + 64 * j;
                for (int l = 0; l < 32; l++) {
                    int q = Bytes.u8(w, o + 48 + 32L * j + l);
                    int h = Bytes.u8(w, o + 16 + l);
                    out[yo + l] = d1 * ((q & 0x0F) + (((h >>> (2 * j)) & 1) << 4)) - m1;
                    out[yo + 32 + l] = d2 * ((q >>> 4) + (((h >>> (2 * j + 1)) & 1) << 4)) - m2;
                }
            }
        }
    }
}
