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
     * Lanes per vector. The prefill sums ({@link #dot4}, {@link #dot4x4}) read lanes by literal index
     * when this is 16 or 8, in the loop's order (0 included), so the bits are the loop's: with a loop
     * index, {@code lane(i)} is not expanded as one extract (its index is not a constant where C2 parses
     * the call), and the tile ran at 73 GFLOP/s instead of 111–123 on one dev thread (docs/perf/NOTES.md).
     * {@link #dot} keeps the loop: the literal form measured ~8 % slower in decode attention.
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

    /**
     * Sixteen dots of four weight rows with four activation rows: sums[sumsOff + 4·t + r] = Σ_i
     * w[r·n + i]·x[xOff + t·xStride + i] for r, t &lt; 4. The prefill tile: each loaded weight
     * vector feeds four tokens and each activation vector four rows, so the 16 accumulators
     * keep both FMA pipes busy with one load per two FMAs (a row-by-token dot needs two loads per FMA).
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
        if (L == 16) {
            sums[sumsOff + 0] = 0f + a00.lane(0) + a00.lane(1) + a00.lane(2) + a00.lane(3) + a00.lane(4)
                    + a00.lane(5) + a00.lane(6) + a00.lane(7) + a00.lane(8) + a00.lane(9)
                    + a00.lane(10) + a00.lane(11) + a00.lane(12) + a00.lane(13) + a00.lane(14)
                    + a00.lane(15);
            sums[sumsOff + 1] = 0f + a01.lane(0) + a01.lane(1) + a01.lane(2) + a01.lane(3) + a01.lane(4)
                    + a01.lane(5) + a01.lane(6) + a01.lane(7) + a01.lane(8) + a01.lane(9)
                    + a01.lane(10) + a01.lane(11) + a01.lane(12) + a01.lane(13) + a01.lane(14)
                    + a01.lane(15);
            sums[sumsOff + 2] = 0f + a02.lane(0) + a02.lane(1) + a02.lane(2) + a02.lane(3) + a02.lane(4)
                    + a02.lane(5) + a02.lane(6) + a02.lane(7) + a02.lane(8) + a02.lane(9)
                    + a02.lane(10) + a02.lane(11) + a02.lane(12) + a02.lane(13) + a02.lane(14)
                    + a02.lane(15);
            sums[sumsOff + 3] = 0f + a03.lane(0) + a03.lane(1) + a03.lane(2) + a03.lane(3) + a03.lane(4)
                    + a03.lane(5) + a03.lane(6) + a03.lane(7) + a03.lane(8) + a03.lane(9)
                    + a03.lane(10) + a03.lane(11) + a03.lane(12) + a03.lane(13) + a03.lane(14)
                    + a03.lane(15);
            sums[sumsOff + 4] = 0f + a10.lane(0) + a10.lane(1) + a10.lane(2) + a10.lane(3) + a10.lane(4)
                    + a10.lane(5) + a10.lane(6) + a10.lane(7) + a10.lane(8) + a10.lane(9)
                    + a10.lane(10) + a10.lane(11) + a10.lane(12) + a10.lane(13) + a10.lane(14)
                    + a10.lane(15);
            sums[sumsOff + 5] = 0f + a11.lane(0) + a11.lane(1) + a11.lane(2) + a11.lane(3) + a11.lane(4)
                    + a11.lane(5) + a11.lane(6) + a11.lane(7) + a11.lane(8) + a11.lane(9)
                    + a11.lane(10) + a11.lane(11) + a11.lane(12) + a11.lane(13) + a11.lane(14)
                    + a11.lane(15);
            sums[sumsOff + 6] = 0f + a12.lane(0) + a12.lane(1) + a12.lane(2) + a12.lane(3) + a12.lane(4)
                    + a12.lane(5) + a12.lane(6) + a12.lane(7) + a12.lane(8) + a12.lane(9)
                    + a12.lane(10) + a12.lane(11) + a12.lane(12) + a12.lane(13) + a12.lane(14)
                    + a12.lane(15);
            sums[sumsOff + 7] = 0f + a13.lane(0) + a13.lane(1) + a13.lane(2) + a13.lane(3) + a13.lane(4)
                    + a13.lane(5) + a13.lane(6) + a13.lane(7) + a13.lane(8) + a13.lane(9)
                    + a13.lane(10) + a13.lane(11) + a13.lane(12) + a13.lane(13) + a13.lane(14)
                    + a13.lane(15);
            sums[sumsOff + 8] = 0f + a20.lane(0) + a20.lane(1) + a20.lane(2) + a20.lane(3) + a20.lane(4)
                    + a20.lane(5) + a20.lane(6) + a20.lane(7) + a20.lane(8) + a20.lane(9)
                    + a20.lane(10) + a20.lane(11) + a20.lane(12) + a20.lane(13) + a20.lane(14)
                    + a20.lane(15);
            sums[sumsOff + 9] = 0f + a21.lane(0) + a21.lane(1) + a21.lane(2) + a21.lane(3) + a21.lane(4)
                    + a21.lane(5) + a21.lane(6) + a21.lane(7) + a21.lane(8) + a21.lane(9)
                    + a21.lane(10) + a21.lane(11) + a21.lane(12) + a21.lane(13) + a21.lane(14)
                    + a21.lane(15);
            sums[sumsOff + 10] = 0f + a22.lane(0) + a22.lane(1) + a22.lane(2) + a22.lane(3) + a22.lane(4)
                    + a22.lane(5) + a22.lane(6) + a22.lane(7) + a22.lane(8) + a22.lane(9)
                    + a22.lane(10) + a22.lane(11) + a22.lane(12) + a22.lane(13) + a22.lane(14)
                    + a22.lane(15);
            sums[sumsOff + 11] = 0f + a23.lane(0) + a23.lane(1) + a23.lane(2) + a23.lane(3) + a23.lane(4)
                    + a23.lane(5) + a23.lane(6) + a23.lane(7) + a23.lane(8) + a23.lane(9)
                    + a23.lane(10) + a23.lane(11) + a23.lane(12) + a23.lane(13) + a23.lane(14)
                    + a23.lane(15);
            sums[sumsOff + 12] = 0f + a30.lane(0) + a30.lane(1) + a30.lane(2) + a30.lane(3) + a30.lane(4)
                    + a30.lane(5) + a30.lane(6) + a30.lane(7) + a30.lane(8) + a30.lane(9)
                    + a30.lane(10) + a30.lane(11) + a30.lane(12) + a30.lane(13) + a30.lane(14)
                    + a30.lane(15);
            sums[sumsOff + 13] = 0f + a31.lane(0) + a31.lane(1) + a31.lane(2) + a31.lane(3) + a31.lane(4)
                    + a31.lane(5) + a31.lane(6) + a31.lane(7) + a31.lane(8) + a31.lane(9)
                    + a31.lane(10) + a31.lane(11) + a31.lane(12) + a31.lane(13) + a31.lane(14)
                    + a31.lane(15);
            sums[sumsOff + 14] = 0f + a32.lane(0) + a32.lane(1) + a32.lane(2) + a32.lane(3) + a32.lane(4)
                    + a32.lane(5) + a32.lane(6) + a32.lane(7) + a32.lane(8) + a32.lane(9)
                    + a32.lane(10) + a32.lane(11) + a32.lane(12) + a32.lane(13) + a32.lane(14)
                    + a32.lane(15);
            sums[sumsOff + 15] = 0f + a33.lane(0) + a33.lane(1) + a33.lane(2) + a33.lane(3) + a33.lane(4)
                    + a33.lane(5) + a33.lane(6) + a33.lane(7) + a33.lane(8) + a33.lane(9)
                    + a33.lane(10) + a33.lane(11) + a33.lane(12) + a33.lane(13) + a33.lane(14)
                    + a33.lane(15);
        } else if (L == 8) {
            sums[sumsOff + 0] = 0f + a00.lane(0) + a00.lane(1) + a00.lane(2) + a00.lane(3) + a00.lane(4)
                    + a00.lane(5) + a00.lane(6) + a00.lane(7);
            sums[sumsOff + 1] = 0f + a01.lane(0) + a01.lane(1) + a01.lane(2) + a01.lane(3) + a01.lane(4)
                    + a01.lane(5) + a01.lane(6) + a01.lane(7);
            sums[sumsOff + 2] = 0f + a02.lane(0) + a02.lane(1) + a02.lane(2) + a02.lane(3) + a02.lane(4)
                    + a02.lane(5) + a02.lane(6) + a02.lane(7);
            sums[sumsOff + 3] = 0f + a03.lane(0) + a03.lane(1) + a03.lane(2) + a03.lane(3) + a03.lane(4)
                    + a03.lane(5) + a03.lane(6) + a03.lane(7);
            sums[sumsOff + 4] = 0f + a10.lane(0) + a10.lane(1) + a10.lane(2) + a10.lane(3) + a10.lane(4)
                    + a10.lane(5) + a10.lane(6) + a10.lane(7);
            sums[sumsOff + 5] = 0f + a11.lane(0) + a11.lane(1) + a11.lane(2) + a11.lane(3) + a11.lane(4)
                    + a11.lane(5) + a11.lane(6) + a11.lane(7);
            sums[sumsOff + 6] = 0f + a12.lane(0) + a12.lane(1) + a12.lane(2) + a12.lane(3) + a12.lane(4)
                    + a12.lane(5) + a12.lane(6) + a12.lane(7);
            sums[sumsOff + 7] = 0f + a13.lane(0) + a13.lane(1) + a13.lane(2) + a13.lane(3) + a13.lane(4)
                    + a13.lane(5) + a13.lane(6) + a13.lane(7);
            sums[sumsOff + 8] = 0f + a20.lane(0) + a20.lane(1) + a20.lane(2) + a20.lane(3) + a20.lane(4)
                    + a20.lane(5) + a20.lane(6) + a20.lane(7);
            sums[sumsOff + 9] = 0f + a21.lane(0) + a21.lane(1) + a21.lane(2) + a21.lane(3) + a21.lane(4)
                    + a21.lane(5) + a21.lane(6) + a21.lane(7);
            sums[sumsOff + 10] = 0f + a22.lane(0) + a22.lane(1) + a22.lane(2) + a22.lane(3) + a22.lane(4)
                    + a22.lane(5) + a22.lane(6) + a22.lane(7);
            sums[sumsOff + 11] = 0f + a23.lane(0) + a23.lane(1) + a23.lane(2) + a23.lane(3) + a23.lane(4)
                    + a23.lane(5) + a23.lane(6) + a23.lane(7);
            sums[sumsOff + 12] = 0f + a30.lane(0) + a30.lane(1) + a30.lane(2) + a30.lane(3) + a30.lane(4)
                    + a30.lane(5) + a30.lane(6) + a30.lane(7);
            sums[sumsOff + 13] = 0f + a31.lane(0) + a31.lane(1) + a31.lane(2) + a31.lane(3) + a31.lane(4)
                    + a31.lane(5) + a31.lane(6) + a31.lane(7);
            sums[sumsOff + 14] = 0f + a32.lane(0) + a32.lane(1) + a32.lane(2) + a32.lane(3) + a32.lane(4)
                    + a32.lane(5) + a32.lane(6) + a32.lane(7);
            sums[sumsOff + 15] = 0f + a33.lane(0) + a33.lane(1) + a33.lane(2) + a33.lane(3) + a33.lane(4)
                    + a33.lane(5) + a33.lane(6) + a33.lane(7);
        } else {
            sums[sumsOff + 0] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 0] += a00.lane(lane);
            }
            sums[sumsOff + 1] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 1] += a01.lane(lane);
            }
            sums[sumsOff + 2] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 2] += a02.lane(lane);
            }
            sums[sumsOff + 3] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 3] += a03.lane(lane);
            }
            sums[sumsOff + 4] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 4] += a10.lane(lane);
            }
            sums[sumsOff + 5] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 5] += a11.lane(lane);
            }
            sums[sumsOff + 6] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 6] += a12.lane(lane);
            }
            sums[sumsOff + 7] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 7] += a13.lane(lane);
            }
            sums[sumsOff + 8] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 8] += a20.lane(lane);
            }
            sums[sumsOff + 9] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 9] += a21.lane(lane);
            }
            sums[sumsOff + 10] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 10] += a22.lane(lane);
            }
            sums[sumsOff + 11] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 11] += a23.lane(lane);
            }
            sums[sumsOff + 12] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 12] += a30.lane(lane);
            }
            sums[sumsOff + 13] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 13] += a31.lane(lane);
            }
            sums[sumsOff + 14] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 14] += a32.lane(lane);
            }
            sums[sumsOff + 15] = 0;
            for (int lane = 0; lane < L; lane++) {
                sums[sumsOff + 15] += a33.lane(lane);
            }
        }
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
