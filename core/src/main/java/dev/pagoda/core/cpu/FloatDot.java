package dev.pagoda.core.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products of float32 arrays: Vector API versions and their scalar references.
 *
 * <p>Every kernel in this package sums its accumulator's lanes in index order rather than with
 * {@code reduceLanes(ADD)}: the API leaves that reduction's order open, and HotSpot's interpreted
 * and compiled versions do differ, so the same model would give logits that differ in the last
 * bits between a cold and a warm run.
 */
public final class FloatDot {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /**
     * Lanes per vector. {@link #dot4} reads lanes by literal index when this is 16 or 8, in the loop's
     * order (0 included), so the bits are the loop's: with a loop index, {@code lane(i)} is not expanded
     * as one extract (its index is not a constant where C2 parses the call), which made the prefill tile
     * run at 73 GFLOP/s instead of 111–123 on one dev thread (docs/perf/NOTES.md). {@link #dot} keeps the
     * loop: the literal form measured ~8 % slower in decode attention.
     */
    private static final int L = F.length();

    private FloatDot() {}

    /** Σ a[aOff+i]·b[bOff+i] for i &lt; n. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float sum = 0;
        for (int lane = 0; lane < acc.length(); lane++) {
            sum += acc.lane(lane);
        }
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /** Floats {@link #dot16} needs in its work array: sixteen accumulators of the machine's width. */
    public static final int DOT16_WORK = LaneSumTree.SPACE;

    /**
     * Sixteen dots of one vector with sixteen rows: out[outOff + j] = Σ_i x[xOff+i]·rows[rowsOff + j·rowStride + i]
     * for j &lt; 16, n a multiple of the vector width ({@link #dot16Fits}). The decode attention's scores: one
     * query against sixteen cached keys. Summing each dot's lanes one at a time cost more than its multiply-adds
     * at a head width of 64; here the sixteen accumulators go through one {@link LaneSumTree} (work holds
     * {@link #DOT16_WORK} floats from workOff, overwritten).
     */
    public static void dot16(float[] x, int xOff, float[] rows, int rowsOff, int rowStride, int n, float[] out, int outOff,
            float[] work, int workOff) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        FloatVector a4 = FloatVector.zero(F), a5 = FloatVector.zero(F), a6 = FloatVector.zero(F), a7 = FloatVector.zero(F);
        FloatVector a8 = FloatVector.zero(F), a9 = FloatVector.zero(F), a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a12 = FloatVector.zero(F), a13 = FloatVector.zero(F), a14 = FloatVector.zero(F), a15 = FloatVector.zero(F);
        for (int i = 0; i < n; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            int r = rowsOff + i;
            a0 = FloatVector.fromArray(F, rows, r).fma(xv, a0);
            a1 = FloatVector.fromArray(F, rows, r + rowStride).fma(xv, a1);
            a2 = FloatVector.fromArray(F, rows, r + 2 * rowStride).fma(xv, a2);
            a3 = FloatVector.fromArray(F, rows, r + 3 * rowStride).fma(xv, a3);
            a4 = FloatVector.fromArray(F, rows, r + 4 * rowStride).fma(xv, a4);
            a5 = FloatVector.fromArray(F, rows, r + 5 * rowStride).fma(xv, a5);
            a6 = FloatVector.fromArray(F, rows, r + 6 * rowStride).fma(xv, a6);
            a7 = FloatVector.fromArray(F, rows, r + 7 * rowStride).fma(xv, a7);
            a8 = FloatVector.fromArray(F, rows, r + 8 * rowStride).fma(xv, a8);
            a9 = FloatVector.fromArray(F, rows, r + 9 * rowStride).fma(xv, a9);
            a10 = FloatVector.fromArray(F, rows, r + 10 * rowStride).fma(xv, a10);
            a11 = FloatVector.fromArray(F, rows, r + 11 * rowStride).fma(xv, a11);
            a12 = FloatVector.fromArray(F, rows, r + 12 * rowStride).fma(xv, a12);
            a13 = FloatVector.fromArray(F, rows, r + 13 * rowStride).fma(xv, a13);
            a14 = FloatVector.fromArray(F, rows, r + 14 * rowStride).fma(xv, a14);
            a15 = FloatVector.fromArray(F, rows, r + 15 * rowStride).fma(xv, a15);
        }
        a0.intoArray(work, workOff);
        a1.intoArray(work, workOff + L);
        a2.intoArray(work, workOff + 2 * L);
        a3.intoArray(work, workOff + 3 * L);
        a4.intoArray(work, workOff + 4 * L);
        a5.intoArray(work, workOff + 5 * L);
        a6.intoArray(work, workOff + 6 * L);
        a7.intoArray(work, workOff + 7 * L);
        a8.intoArray(work, workOff + 8 * L);
        a9.intoArray(work, workOff + 9 * L);
        a10.intoArray(work, workOff + 10 * L);
        a11.intoArray(work, workOff + 11 * L);
        a12.intoArray(work, workOff + 12 * L);
        a13.intoArray(work, workOff + 13 * L);
        a14.intoArray(work, workOff + 14 * L);
        a15.intoArray(work, workOff + 15 * L);
        LaneSumTree.sum16(work, workOff);
        System.arraycopy(work, workOff, out, outOff, 16);
    }

    /** Whether {@link #dot16} takes rows of n floats: a positive multiple of the vector width. */
    public static boolean dot16Fits(int n) {
        return n > 0 && n % L == 0;
    }

    /** Scalar reference for {@link #dot}. */
    public static float dotScalar(float[] a, int aOff, float[] b, int bOff, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /**
     * Four dots sharing one x: out[outOff+k] = Σ w[k·n+i]·x[xOff+i] for k &lt; 4 (w holds four
     * consecutive rows of length n). Reading x once for four rows quarters activation traffic.
     */
    public static void dot4(float[] w, float[] x, int xOff, int n, float[] out, int outOff, int outStride) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            a0 = FloatVector.fromArray(F, w, i).fma(xv, a0);
            a1 = FloatVector.fromArray(F, w, n + i).fma(xv, a1);
            a2 = FloatVector.fromArray(F, w, 2 * n + i).fma(xv, a2);
            a3 = FloatVector.fromArray(F, w, 3 * n + i).fma(xv, a3);
        }
        float s0;
        float s1;
        float s2;
        float s3;
        if (L == 16) {
            s0 = 0f + a0.lane(0) + a0.lane(1) + a0.lane(2) + a0.lane(3) + a0.lane(4) + a0.lane(5)
                    + a0.lane(6) + a0.lane(7) + a0.lane(8) + a0.lane(9) + a0.lane(10) + a0.lane(11)
                    + a0.lane(12) + a0.lane(13) + a0.lane(14) + a0.lane(15);
            s1 = 0f + a1.lane(0) + a1.lane(1) + a1.lane(2) + a1.lane(3) + a1.lane(4) + a1.lane(5)
                    + a1.lane(6) + a1.lane(7) + a1.lane(8) + a1.lane(9) + a1.lane(10) + a1.lane(11)
                    + a1.lane(12) + a1.lane(13) + a1.lane(14) + a1.lane(15);
            s2 = 0f + a2.lane(0) + a2.lane(1) + a2.lane(2) + a2.lane(3) + a2.lane(4) + a2.lane(5)
                    + a2.lane(6) + a2.lane(7) + a2.lane(8) + a2.lane(9) + a2.lane(10) + a2.lane(11)
                    + a2.lane(12) + a2.lane(13) + a2.lane(14) + a2.lane(15);
            s3 = 0f + a3.lane(0) + a3.lane(1) + a3.lane(2) + a3.lane(3) + a3.lane(4) + a3.lane(5)
                    + a3.lane(6) + a3.lane(7) + a3.lane(8) + a3.lane(9) + a3.lane(10) + a3.lane(11)
                    + a3.lane(12) + a3.lane(13) + a3.lane(14) + a3.lane(15);
        } else if (L == 8) {
            s0 = 0f + a0.lane(0) + a0.lane(1) + a0.lane(2) + a0.lane(3) + a0.lane(4) + a0.lane(5)
                    + a0.lane(6) + a0.lane(7);
            s1 = 0f + a1.lane(0) + a1.lane(1) + a1.lane(2) + a1.lane(3) + a1.lane(4) + a1.lane(5)
                    + a1.lane(6) + a1.lane(7);
            s2 = 0f + a2.lane(0) + a2.lane(1) + a2.lane(2) + a2.lane(3) + a2.lane(4) + a2.lane(5)
                    + a2.lane(6) + a2.lane(7);
            s3 = 0f + a3.lane(0) + a3.lane(1) + a3.lane(2) + a3.lane(3) + a3.lane(4) + a3.lane(5)
                    + a3.lane(6) + a3.lane(7);
        } else {
            s0 = 0;
            for (int lane = 0; lane < L; lane++) {
                s0 += a0.lane(lane);
            }
            s1 = 0;
            for (int lane = 0; lane < L; lane++) {
                s1 += a1.lane(lane);
            }
            s2 = 0;
            for (int lane = 0; lane < L; lane++) {
                s2 += a2.lane(lane);
            }
            s3 = 0;
            for (int lane = 0; lane < L; lane++) {
                s3 += a3.lane(lane);
            }
        }
        for (; i < n; i++) {
            float xi = x[xOff + i];
            s0 += w[i] * xi;
            s1 += w[n + i] * xi;
            s2 += w[2 * n + i] * xi;
            s3 += w[3 * n + i] * xi;
        }
        out[outOff] = s0;
        out[outOff + outStride] = s1;
        out[outOff + 2 * outStride] = s2;
        out[outOff + 3 * outStride] = s3;
    }

    /** Floats {@link #dot4x4} uses from sumsOff: its 16 sums, and room to add up its accumulators' lanes. */
    public static final int DOT4X4_SUMS = LaneSumTree.SPACE;

    /**
     * Sixteen dots of four weight rows with four activation rows: sums[sumsOff + 4·t + r] = Σ_i
     * w[r·n + i]·x[xOff + t·xStride + i] for r, t &lt; 4; the rest of sums[sumsOff, sumsOff + {@link
     * #DOT4X4_SUMS}) is overwritten. The prefill tile: each loaded weight vector feeds four tokens and
     * each activation vector four rows, so the 16 accumulators keep both FMA pipes busy with one load
     * per two FMAs (a row-by-token dot needs two loads per FMA). The accumulators' lanes are added up
     * by {@link LaneSumTree} (about 100 vector operations instead of 16 × 16 extracts and adds).
     */
    public static void dot4x4(float[] w, int n, float[] x, int xOff, int xStride, float[] sums, int sumsOff) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F), a22 = FloatVector.zero(F), a23 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F), a32 = FloatVector.zero(F), a33 = FloatVector.zero(F);
        int x0 = xOff;
        int x1 = xOff + xStride;
        int x2 = xOff + 2 * xStride;
        int x3 = xOff + 3 * xStride;
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            FloatVector w0 = FloatVector.fromArray(F, w, i);
            FloatVector w1 = FloatVector.fromArray(F, w, n + i);
            FloatVector w2 = FloatVector.fromArray(F, w, 2 * n + i);
            FloatVector w3 = FloatVector.fromArray(F, w, 3 * n + i);
            FloatVector t = FloatVector.fromArray(F, x, x0 + i);
            a00 = w0.fma(t, a00);
            a01 = w1.fma(t, a01);
            a02 = w2.fma(t, a02);
            a03 = w3.fma(t, a03);
            t = FloatVector.fromArray(F, x, x1 + i);
            a10 = w0.fma(t, a10);
            a11 = w1.fma(t, a11);
            a12 = w2.fma(t, a12);
            a13 = w3.fma(t, a13);
            t = FloatVector.fromArray(F, x, x2 + i);
            a20 = w0.fma(t, a20);
            a21 = w1.fma(t, a21);
            a22 = w2.fma(t, a22);
            a23 = w3.fma(t, a23);
            t = FloatVector.fromArray(F, x, x3 + i);
            a30 = w0.fma(t, a30);
            a31 = w1.fma(t, a31);
            a32 = w2.fma(t, a32);
            a33 = w3.fma(t, a33);
        }
        a00.intoArray(sums, sumsOff);
        a01.intoArray(sums, sumsOff + L);
        a02.intoArray(sums, sumsOff + 2 * L);
        a03.intoArray(sums, sumsOff + 3 * L);
        a10.intoArray(sums, sumsOff + 4 * L);
        a11.intoArray(sums, sumsOff + 5 * L);
        a12.intoArray(sums, sumsOff + 6 * L);
        a13.intoArray(sums, sumsOff + 7 * L);
        a20.intoArray(sums, sumsOff + 8 * L);
        a21.intoArray(sums, sumsOff + 9 * L);
        a22.intoArray(sums, sumsOff + 10 * L);
        a23.intoArray(sums, sumsOff + 11 * L);
        a30.intoArray(sums, sumsOff + 12 * L);
        a31.intoArray(sums, sumsOff + 13 * L);
        a32.intoArray(sums, sumsOff + 14 * L);
        a33.intoArray(sums, sumsOff + 15 * L);
        LaneSumTree.sum16(sums, sumsOff);
        for (; i < n; i++) {
            for (int tk = 0; tk < 4; tk++) {
                float xi = x[xOff + tk * xStride + i];
                for (int r = 0; r < 4; r++) {
                    sums[sumsOff + 4 * tk + r] += w[r * n + i] * xi;
                }
            }
        }
    }

    /** Scalar reference for {@link #dot4x4}. */
    public static void dot4x4Scalar(float[] w, int n, float[] x, int xOff, int xStride, float[] sums, int sumsOff) {
        for (int t = 0; t < 4; t++) {
            for (int r = 0; r < 4; r++) {
                sums[sumsOff + 4 * t + r] = dotScalar(w, r * n, x, xOff + t * xStride, n);
            }
        }
    }
}
