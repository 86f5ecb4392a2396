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
        float s0 = 0;
        for (int lane = 0; lane < a0.length(); lane++) {
            s0 += a0.lane(lane);
        }
        float s1 = 0;
        for (int lane = 0; lane < a1.length(); lane++) {
            s1 += a1.lane(lane);
        }
        float s2 = 0;
        for (int lane = 0; lane < a2.length(); lane++) {
            s2 += a2.lane(lane);
        }
        float s3 = 0;
        for (int lane = 0; lane < a3.length(); lane++) {
            s3 += a3.lane(lane);
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
        sums[sumsOff + 0] = 0;
        for (int lane = 0; lane < a00.length(); lane++) {
            sums[sumsOff + 0] += a00.lane(lane);
        }
        sums[sumsOff + 1] = 0;
        for (int lane = 0; lane < a01.length(); lane++) {
            sums[sumsOff + 1] += a01.lane(lane);
        }
        sums[sumsOff + 2] = 0;
        for (int lane = 0; lane < a02.length(); lane++) {
            sums[sumsOff + 2] += a02.lane(lane);
        }
        sums[sumsOff + 3] = 0;
        for (int lane = 0; lane < a03.length(); lane++) {
            sums[sumsOff + 3] += a03.lane(lane);
        }
        sums[sumsOff + 4] = 0;
        for (int lane = 0; lane < a10.length(); lane++) {
            sums[sumsOff + 4] += a10.lane(lane);
        }
        sums[sumsOff + 5] = 0;
        for (int lane = 0; lane < a11.length(); lane++) {
            sums[sumsOff + 5] += a11.lane(lane);
        }
        sums[sumsOff + 6] = 0;
        for (int lane = 0; lane < a12.length(); lane++) {
            sums[sumsOff + 6] += a12.lane(lane);
        }
        sums[sumsOff + 7] = 0;
        for (int lane = 0; lane < a13.length(); lane++) {
            sums[sumsOff + 7] += a13.lane(lane);
        }
        sums[sumsOff + 8] = 0;
        for (int lane = 0; lane < a20.length(); lane++) {
            sums[sumsOff + 8] += a20.lane(lane);
        }
        sums[sumsOff + 9] = 0;
        for (int lane = 0; lane < a21.length(); lane++) {
            sums[sumsOff + 9] += a21.lane(lane);
        }
        sums[sumsOff + 10] = 0;
        for (int lane = 0; lane < a22.length(); lane++) {
            sums[sumsOff + 10] += a22.lane(lane);
        }
        sums[sumsOff + 11] = 0;
        for (int lane = 0; lane < a23.length(); lane++) {
            sums[sumsOff + 11] += a23.lane(lane);
        }
        sums[sumsOff + 12] = 0;
        for (int lane = 0; lane < a30.length(); lane++) {
            sums[sumsOff + 12] += a30.lane(lane);
        }
        sums[sumsOff + 13] = 0;
        for (int lane = 0; lane < a31.length(); lane++) {
            sums[sumsOff + 13] += a31.lane(lane);
        }
        sums[sumsOff + 14] = 0;
        for (int lane = 0; lane < a32.length(); lane++) {
            sums[sumsOff + 14] += a32.lane(lane);
        }
        sums[sumsOff + 15] = 0;
        for (int lane = 0; lane < a33.length(); lane++) {
            sums[sumsOff + 15] += a33.lane(lane);
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
