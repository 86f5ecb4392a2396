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
}
