package dev.pagoda.core.cpu;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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
    private static final VectorSpecies<Float> F = QuantLanes.F;
    private static final VectorSpecies<Integer> I = QuantLanes.I;
    private static final VectorSpecies<Byte> B = QuantLanes.B;
    private static final int L = QuantLanes.L;
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Q6_KKernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    /**
     * Each 6-bit value is multiplied by its int8 sub-block scale in int lanes (an exact integer,
     * |scale·(q − 32)| ≤ 4064), converted once and multiply-added with x into four accumulators
     * that span the whole super-block, which is then scaled by d once. That moves the per-16-value
     * scale from a float multiply-add (the FP pipes are this kernel's limit) to an int multiply.
     * The sum is d·Σ(scale·q)·x where ggml dequantizes (d·scale)·q: a rounding difference of an ulp
     * per weight, well inside the float tolerance against {@link #dotScalar}.
     */
    @Override
    public float dot(MemorySegment w, long offset, float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < n / BLOCK; b++) {
            long o = offset + (long) b * BLOCK_BYTES;
            float d = Bytes.f16(w, o + 208);
            long s0 = w.get(LONG_LE, o + 192);
            long s1 = w.get(LONG_LE, o + 200);
            // Σ scale·q·x over the block in float (scale·q is an exact small integer), times d once
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            FloatVector a4 = FloatVector.zero(F);
            for (int half = 0; half < 2; half++) {
                long sc = half == 0 ? s0 : s1;      // this half's 8 int8 scales
                long ql = o + 64L * half;
                long qh = o + 128 + 32L * half;
                int xo = xOff + b * BLOCK + 128 * half;
                for (int g = 0; g < 32; g += L) {
                    int is = g >> 4;
                    // zero-extended bytes: the high nibbles need no mask, and each pair of qh bits is moved
                    // to bits 4..5 by one shift and one mask
                    IntVector low0 = (IntVector) ByteVector.fromMemorySegment(B, w, ql + g, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector low1 = (IntVector) ByteVector.fromMemorySegment(B, w, ql + 32 + g, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector high = (IntVector) ByteVector.fromMemorySegment(B, w, qh + g, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector q1 = low0.and(0x0F).or(high.lanewise(VectorOperators.LSHL, 4).and(0x30)).sub(32)
                            .mul((byte) (sc >>> (8 * is)));
                    IntVector q2 = low1.and(0x0F).or(high.lanewise(VectorOperators.LSHL, 2).and(0x30)).sub(32)
                            .mul((byte) (sc >>> (8 * (is + 2))));
                    IntVector q3 = low0.lanewise(VectorOperators.LSHR, 4).or(high.and(0x30)).sub(32)
                            .mul((byte) (sc >>> (8 * (is + 4))));
                    IntVector q4 = low1.lanewise(VectorOperators.LSHR, 4).or(high.lanewise(VectorOperators.LSHR, 2).and(0x30)).sub(32)
                            .mul((byte) (sc >>> (8 * (is + 6))));
                    a1 = ((FloatVector) q1.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, xo + g), a1);
                    a2 = ((FloatVector) q2.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, xo + 32 + g), a2);
                    a3 = ((FloatVector) q3.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, xo + 64 + g), a3);
                    a4 = ((FloatVector) q4.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, xo + 96 + g), a4);
                }
            }
            acc = a1.add(a2).add(a3.add(a4)).fma(FloatVector.broadcast(F, d), acc);
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
