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
 * Q4_K: 144-byte super-blocks of 256 values; {@code d} f16 @0, {@code dmin} f16 @2,
 * {@code scales[12]} @4, {@code qs[128]} @16. Each 64 values share 32 bytes of qs: low nibbles
 * are sub-block 2j, high nibbles sub-block 2j+1; value = d·scale·q − dmin·min.
 */
public final class Q4_KKernel implements RowKernel {
    static final Q4_KKernel INSTANCE = new Q4_KKernel();
    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 144;
    private static final VectorSpecies<Float> F = QuantLanes.F;
    private static final VectorSpecies<Integer> I = QuantLanes.I;
    private static final VectorSpecies<Byte> B = QuantLanes.B;
    private static final int L = QuantLanes.L;
    /**
     * Whether one vector holds all 16 nibble values (16 lanes) and the table form is used; otherwise
     * two 8-lane halves and the convert form. {@code -Dpagoda.cpu.q4k=convert} forces the convert form
     * on 16 lanes too, to compare the two on a given processor (the lane permutation's cost differs
     * between microarchitectures).
     */
    private static final boolean WIDE = L == 16 && !"convert".equals(System.getProperty("pagoda.cpu.q4k"));
    /** Nibble values 0..L-1 and, when L = 8, 8..15, as floats: the weight table's indices. */
    private static final FloatVector NIBBLES_A = FloatVector.fromArray(F, nibbles(0), 0);
    private static final FloatVector NIBBLES_B = FloatVector.fromArray(F, nibbles(L), 0);

    private Q4_KKernel() {}

    private static float[] nibbles(int from) {
        float[] v = new float[L];
        for (int i = 0; i < L; i++) {
            v[i] = (from + i) & 0x0F;
        }
        return v;
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    /**
     * The 16-lane form: per sub-block of 32 values the 16 possible weights {@code d·scale·q − dmin·min} (q = 0..15)
     * are computed once, with ggml's float operations, into a 16-entry table; each nibble then
     * becomes its weight with one lane permutation ({@code selectFrom}) instead of a convert, a
     * per-sub-block multiply and a running Σx for the min term. The products are the exactly
     * dequantized weights times x, as {@link #dotScalar} computes them (sum order differs). The
     * block's scales and mins are unpacked by vector operations ({@link KQuantScaleLanes}).
     */
    @Override
    public float dot(MemorySegment w, long offset, float[] x, int xOff, int n) {
        return WIDE ? dotTable(w, offset, x, xOff, n) : dotConvert(w, offset, x, xOff, n);
    }

    static float dotTable(MemorySegment w, long offset, float[] x, int xOff, int n) {
        float[] dm = KQuantScaleLanes.scratch();  // d·sc_0..7, dmin·m_0..7 of the current block
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        for (int b = 0; b < n / BLOCK; b++) {
            long o = offset + (long) b * BLOCK_BYTES;
            KQuantScaleLanes.unpack(w, o + 4, Bytes.f16(w, o), Bytes.f16(w, o + 2), dm);
            for (int j = 0; j < 4; j += 2) {
                // four sub-blocks: 2j (low nibbles of qs[32j..]), 2j+1 (high), 2j+2, 2j+3 (next 32 bytes); each
                // table built from array elements (broadcast loads, not lane permutes that compete with selectFrom)
                float d0 = dm[2 * j], m0 = dm[8 + 2 * j], d1 = dm[2 * j + 1], m1 = dm[9 + 2 * j];
                float d2 = dm[2 * j + 2], m2 = dm[10 + 2 * j], d3 = dm[2 * j + 3], m3 = dm[11 + 2 * j];
                IntVector t0a = NIBBLES_A.mul(d0).sub(m0).viewAsIntegralLanes();
                IntVector t0b = WIDE ? t0a : NIBBLES_B.mul(d0).sub(m0).viewAsIntegralLanes();
                IntVector t1a = NIBBLES_A.mul(d1).sub(m1).viewAsIntegralLanes();
                IntVector t1b = WIDE ? t1a : NIBBLES_B.mul(d1).sub(m1).viewAsIntegralLanes();
                IntVector t2a = NIBBLES_A.mul(d2).sub(m2).viewAsIntegralLanes();
                IntVector t2b = WIDE ? t2a : NIBBLES_B.mul(d2).sub(m2).viewAsIntegralLanes();
                IntVector t3a = NIBBLES_A.mul(d3).sub(m3).viewAsIntegralLanes();
                IntVector t3b = WIDE ? t3a : NIBBLES_B.mul(d3).sub(m3).viewAsIntegralLanes();
                long qo = o + 16 + 32L * j;
                int xo = xOff + b * BLOCK + 64 * j;
                for (int g = 0; g < 32; g += L) {
                    IntVector q01 = (IntVector) ByteVector.fromMemorySegment(B, w, qo + g, ByteOrder.LITTLE_ENDIAN)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector q23 = (IntVector) ByteVector.fromMemorySegment(B, w, qo + 32 + g, ByteOrder.LITTLE_ENDIAN)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    // selectFrom(a, b) wraps each byte index to [0, 2L), which with a = b (16 lanes) or the table's
                    // two halves (8 lanes) picks the low nibble's weight: no mask (vpermi2ps reads the low bits)
                    FloatVector w0 = q01.selectFrom(t0a, t0b).viewAsFloatingLanes();
                    FloatVector w1 = q01.lanewise(VectorOperators.LSHR, 4).selectFrom(t1a, t1b).viewAsFloatingLanes();
                    FloatVector w2 = q23.selectFrom(t2a, t2b).viewAsFloatingLanes();
                    FloatVector w3 = q23.lanewise(VectorOperators.LSHR, 4).selectFrom(t3a, t3b).viewAsFloatingLanes();
                    acc0 = w0.fma(FloatVector.fromArray(F, x, xo + g), acc0);
                    acc1 = w1.fma(FloatVector.fromArray(F, x, xo + 32 + g), acc1);
                    acc2 = w2.fma(FloatVector.fromArray(F, x, xo + 64 + g), acc2);
                    acc3 = w3.fma(FloatVector.fromArray(F, x, xo + 96 + g), acc3);
                }
            }
        }
        FloatVector acc = acc0.add(acc1).add(acc2.add(acc3));
        float lanesSum = 0;
        for (int lane = 0; lane < acc.length(); lane++) {
            lanesSum += acc.lane(lane);
        }
        return lanesSum;
    }

    /**
     * The 8-lane form: nibbles converted to float, Σq·x and Σx per sub-block, scaled once per
     * sub-block. On 8 lanes the 16-entry table of {@link #dotTable} needs a two-vector
     * permutation, which measured slower than the conversion (BENCHMARKS "CPU inference").
     */
    static float dotConvert(MemorySegment w, long offset, float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < n / BLOCK; b++) {
            long o = offset + (long) b * BLOCK_BYTES;
            float d = Bytes.f16(w, o);
            float dmin = Bytes.f16(w, o + 2);
            long scLo = KQuantScales.low(w, o + 4);
            int scHi = KQuantScales.high(w, o + 4);
            for (int j = 0; j < 4; j++) {
                long qo = o + 16 + 32L * j;
                int xo = xOff + b * BLOCK + 64 * j;
                FloatVector qxLo = FloatVector.zero(F);
                FloatVector qxHi = FloatVector.zero(F);
                FloatVector xLo = FloatVector.zero(F);
                FloatVector xHi = FloatVector.zero(F);
                for (int g = 0; g < 32; g += L) {
                    IntVector qs = ((IntVector) ByteVector.fromMemorySegment(B, w, qo + g, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2I, I, 0));
                    FloatVector lo = ((FloatVector) qs.and(0x0F).convert(VectorOperators.I2F, 0));
                    FloatVector hi = ((FloatVector) qs.lanewise(VectorOperators.ASHR, 4).and(0x0F).convert(VectorOperators.I2F, 0));
                    FloatVector x0 = FloatVector.fromArray(F, x, xo + g);
                    FloatVector x1 = FloatVector.fromArray(F, x, xo + 32 + g);
                    qxLo = lo.fma(x0, qxLo);
                    qxHi = hi.fma(x1, qxHi);
                    xLo = xLo.add(x0);
                    xHi = xHi.add(x1);
                }
                acc = qxLo.fma(FloatVector.broadcast(F, d * KQuantScales.scale(scLo, scHi, 2 * j)), acc);
                acc = xLo.fma(FloatVector.broadcast(F, -dmin * KQuantScales.min(scLo, scHi, 2 * j)), acc);
                acc = qxHi.fma(FloatVector.broadcast(F, d * KQuantScales.scale(scLo, scHi, 2 * j + 1)), acc);
                acc = xHi.fma(FloatVector.broadcast(F, -dmin * KQuantScales.min(scLo, scHi, 2 * j + 1)), acc);
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
                    int q = Bytes.u8(w, o + 16 + 32L * j + l);
                    out[yo + l] = d1 * (q & 0x0F) - m1;
                    out[yo + 32 + l] = d2 * (q >>> 4) - m2;
                }
            }
        }
    }
}
