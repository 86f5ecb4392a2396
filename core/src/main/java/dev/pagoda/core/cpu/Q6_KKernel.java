package dev.pagoda.core.cpu;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Q6_K: 210-byte super-blocks of 256 values; {@code ql[128]} @0 (low 4 bits), {@code qh[64]}
 * @128 (high 2 bits), {@code scales} int8[16] @192 (one per 16 values), {@code d} f16 @208;
 * value = d·scale·(q6 − 32). Each half (128 values) uses 64 bytes of ql and 32 of qh.
 */
public final class Q6_KKernel implements RowKernel {
    static final Q6_KKernel INSTANCE = new Q6_KKernel();
    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 210;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;

    private Q6_KKernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public float dot(MemorySegment w, long offset, float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < n / BLOCK; b++) {
            long o = offset + (long) b * BLOCK_BYTES;
            float d = Bytes.f16(w, o + 208);
            for (int half = 0; half < 2; half++) {
                long ql = o + 64L * half;
                long qh = o + 128 + 32L * half;
                long sc = o + 192 + 8L * half;
                int xo = xOff + b * BLOCK + 128 * half;
                for (int g = 0; g < 32; g += 8) {
                    int is = g / 16;
                    ByteVector low0 = ByteVector.fromMemorySegment(B, w, ql + g, ByteOrder.LITTLE_ENDIAN);
                    ByteVector low1 = ByteVector.fromMemorySegment(B, w, ql + 32 + g, ByteOrder.LITTLE_ENDIAN);
                    ByteVector high = ByteVector.fromMemorySegment(B, w, qh + g, ByteOrder.LITTLE_ENDIAN);
                    ByteVector q1 = low0.and((byte) 0x0F)
                            .or(high.and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
                    ByteVector q2 = low1.and((byte) 0x0F)
                            .or(high.lanewise(VectorOperators.LSHR, 2).and((byte) 3).lanewise(VectorOperators.LSHL, 4))
                            .sub((byte) 32);
                    ByteVector q3 = low0.lanewise(VectorOperators.LSHR, 4)
                            .or(high.lanewise(VectorOperators.LSHR, 4).and((byte) 3).lanewise(VectorOperators.LSHL, 4))
                            .sub((byte) 32);
                    ByteVector q4 = low1.lanewise(VectorOperators.LSHR, 4)
                            .or(high.lanewise(VectorOperators.LSHR, 6).lanewise(VectorOperators.LSHL, 4))
                            .sub((byte) 32);
                    acc = term(q1, x, xo + g, d * Bytes.i8(w, sc + is), acc);
                    acc = term(q2, x, xo + 32 + g, d * Bytes.i8(w, sc + is + 2), acc);
                    acc = term(q3, x, xo + 64 + g, d * Bytes.i8(w, sc + is + 4), acc);
                    acc = term(q4, x, xo + 96 + g, d * Bytes.i8(w, sc + is + 6), acc);
                }
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    private static FloatVector term(ByteVector q, float[] x, int xo, float scale, FloatVector acc) {
        FloatVector qf = (FloatVector) q.castShape(F, 0);
        return qf.mul(FloatVector.fromArray(F, x, xo)).fma(FloatVector.broadcast(F, scale), acc);
    }

    @Override
    public float dotScalar(MemorySegment w, long offset, float[] x, int xOff, int n) {
        float[] row = new float[BLOCK];
        float sum = 0;
        for (int b = 0; b < n / BLOCK; b++) {
            dequantizeRow(w, offset + (long) b * BLOCK_BYTES, row, 0, BLOCK);
            for (int i = 0; i < BLOCK; i++) {
                sum += row[i] * x[xOff + b * BLOCK + i];
            }
        }
        return sum;
    }

    @Override
    public void dequantizeRow(MemorySegment w, long offset, float[] out, int outOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long o = offset + (long) b * BLOCK_BYTES;
            float d = Bytes.f16(w, o + 208);
            for (int half = 0; half < 2; half++) {
                long ql = o + 64L * half;
                long qh = o + 128 + 32L * half;
                long sc = o + 192 + 8L * half;
                int yo = outOff + b * BLOCK + 128 * half;
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int low0 = Bytes.u8(w, ql + l);
                    int low1 = Bytes.u8(w, ql + 32 + l);
                    int high = Bytes.u8(w, qh + l);
                    int q1 = ((low0 & 0x0F) | ((high & 3) << 4)) - 32;
                    int q2 = ((low1 & 0x0F) | (((high >>> 2) & 3) << 4)) - 32;
                    int q3 = ((low0 >>> 4) | (((high >>> 4) & 3) << 4)) - 32;
                    int q4 = ((low1 >>> 4) | (((high >>> 6) & 3) << 4)) - 32;
                    out[yo + l] = d * Bytes.i8(w, sc + is) * q1;
                    out[yo + 32 + l] = d * Bytes.i8(w, sc + is + 2) * q2;
                    out[yo + 64 + l] = d * Bytes.i8(w, sc + is + 4) * q3;
                    out[yo + 96 + l] = d * Bytes.i8(w, sc + is + 6) * q4;
                }
            }
        }
    }
}
