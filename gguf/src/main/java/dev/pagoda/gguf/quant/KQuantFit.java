package dev.pagoda.gguf.quant;

/**
 * The per-sub-block scale searches of ggml's K-quant reference quantizers ({@code ggml-quants.c}):
 * {@code nearest_int}, {@code make_qx_quants}, {@code make_q3_quants} and {@code make_qkx2_quants},
 * in ggml's operation order so the float results (and so the bytes) match. Every intermediate is a
 * float as in C; Java never fuses a multiply and an add, and neither does ggml's baseline x86-64 build
 * of {@code ggml-base}.
 */
final class KQuantFit {
    /** ggml's {@code GROUP_MAX_EPS}: below this a sub-block counts as all zero. */
    static final float GROUP_MAX_EPS = 1e-15f;

    private KQuantFit() {}

    /** ggml's {@code nearest_int}: round to nearest, ties to even, via the 1.5·2^23 trick. */
    static int nearestInt(float f) {
        int i = Float.floatToRawIntBits(f + 12582912.f);
        return (i & 0x007FFFFF) - 0x00400000;
    }

    /**
     * {@code make_qx_quants} with {@code rmse_type} 1 and no importance weights: a symmetric scale
     * for {@code n} values into levels {@code 0 .. 2·nmax−1} (stored in {@code L} as level), trying
     * 18 scales around {@code −nmax/max} and keeping the weighted-least-squares best.
     */
    static float makeQxQuants(int n, int nmax, float[] x, int xo, byte[] L, int lo) {
        float max = 0;
        float amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xo + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xo + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) {
                L[lo + i] = 0;
            }
            return 0f;
        }
        float iscale = -nmax / max;
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xo + i];
            int l = nearestInt(iscale * xi);
            l = Math.max(-nmax, Math.min(nmax - 1, l));
            L[lo + i] = (byte) (l + nmax);
            float w = xi * xi;
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        float scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
        float best = scale * sumlx;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) {
                continue;
            }
            iscale = -(nmax + 0.1f * is) / max;
            sumlx = 0;
            suml2 = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xo + i];
                int l = nearestInt(iscale * xi);
                l = Math.max(-nmax, Math.min(nmax - 1, l));
                float w = xi * xi;
                sumlx += w * xi * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                for (int i = 0; i < n; i++) {
                    int l = nearestInt(iscale * x[xo + i]);
                    L[lo + i] = (byte) (nmax + Math.max(-nmax, Math.min(nmax - 1, l)));
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    /**
     * {@code make_q3_quants} with {@code do_rmse}: symmetric levels {@code −nmax .. nmax−1}, refined
     * by up to five coordinate-descent passes; {@code L} receives level + nmax.
     */
    static float makeQ3Quants(int n, int nmax, float[] x, int xo, byte[] L, int lo) {
        float max = 0;
        float amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xo + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xo + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) {
                L[lo + i] = 0;
            }
            return 0f;
        }
        float iscale = -nmax / max;
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xo + i];
            int l = nearestInt(iscale * xi);
            l = Math.max(-nmax, Math.min(nmax - 1, l));
            L[lo + i] = (byte) l;
            float w = xi * xi;
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        for (int itry = 0; itry < 5; itry++) {
            int nChanged = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xo + i];
                float w = xi * xi;
                int li = L[lo + i];
                float slx = sumlx - w * xi * li;
                if (slx > 0) {
                    float sl2 = suml2 - w * li * li;
                    int newL = nearestInt(xi * sl2 / slx);
                    newL = Math.max(-nmax, Math.min(nmax - 1, newL));
                    if (newL != li) {
                        slx += w * xi * newL;
                        sl2 += w * newL * newL;
                        if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                            L[lo + i] = (byte) newL;
                            sumlx = slx;
                            suml2 = sl2;
                            nChanged++;
                        }
                    }
                }
            }
            if (nChanged == 0) {
                break;
            }
        }
        for (int i = 0; i < n; i++) {
            L[lo + i] += (byte) nmax;
        }
        return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
    }

    /**
     * {@code make_qkx2_quants}: an asymmetric fit x ≈ scale·L − min with L in 0..nmax, searching
     * {@code nstep + 1} scales from {@code (rmin + nmax)/(max − min)} in steps of {@code rdelta} and
     * keeping the lowest weighted squared (or absolute, {@code useMad}) error. Returns the scale and
     * stores the (non-negative) min in {@code minOut[minIndex]}; {@code laux} is scratch.
     */
    static float makeQkx2Quants(int n, int nmax, float[] x, int xo, float[] weights, byte[] L, int lo,
            float[] minOut, int minIndex, byte[] laux, float rmin, float rdelta, int nstep, boolean useMad) {
        float min = x[xo];
        float max = x[xo];
        float sumW = weights[0];
        float sumX = sumW * x[xo];
        for (int i = 1; i < n; i++) {
            float xi = x[xo + i];
            if (xi < min) {
                min = xi;
            }
            if (xi > max) {
                max = xi;
            }
            float w = weights[i];
            sumW += w;
            sumX += w * xi;
        }
        if (min > 0) {
            min = 0;
        }
        if (max == min) {
            for (int i = 0; i < n; i++) {
                L[lo + i] = 0;
            }
            minOut[minIndex] = -min;
            return 0.f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; i++) {
            int l = nearestInt(iscale * (x[xo + i] - min));
            l = Math.max(0, Math.min(nmax, l));
            L[lo + i] = (byte) l;
            float diff = scale * l + min - x[xo + i];
            diff = useMad ? Math.abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }
        if (nstep < 1) {
            minOut[minIndex] = -min;
            return scale;
        }
        for (int is = 0; is <= nstep; is++) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0;
            float sumL2 = 0;
            float sumXL = 0;
            for (int i = 0; i < n; i++) {
                int l = nearestInt(iscale * (x[xo + i] - min));
                l = Math.max(0, Math.min(nmax, l));
                laux[i] = (byte) l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * x[xo + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0) {
                float thisScale = (sumW * sumXL - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                float curError = 0;
                for (int i = 0; i < n; i++) {
                    float diff = thisScale * laux[i] + thisMin - x[xo + i];
                    diff = useMad ? Math.abs(diff) : diff * diff;
                    curError += weights[i] * diff;
                }
                if (curError < bestError) {
                    System.arraycopy(laux, 0, L, lo, n);
                    bestError = curError;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        minOut[minIndex] = -min;
        return scale;
    }

    /** {@code sqrtf}: float square root, correctly rounded (exact via double). */
    static float sqrt(float v) {
        return (float) Math.sqrt(v);
    }
}
