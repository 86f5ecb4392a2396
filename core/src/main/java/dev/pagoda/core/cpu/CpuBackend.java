package dev.pagoda.core.cpu;

import dev.pagoda.core.backend.ComputeBackend;
import dev.pagoda.core.backend.KvCache;
import dev.pagoda.core.backend.WeightTensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU backend: Vector API kernels on weights read in place from the mapped file, work split
 * by rows (matmul) or by (token, head) (attention) over one {@link WorkerPool}; the elementwise ops
 * (SwiGLU, residual add, RMSNorm rows, RoPE heads) are split over the pool too once they are large
 * enough, each element computed exactly as on one thread. All math is float32 on dequantized
 * weights; norms and softmax sum in double.
 */
public final class CpuBackend implements ComputeBackend {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ThreadLocal<float[]> SCORES = ThreadLocal.withInitial(() -> new float[0]);
    /**
     * Elements below which an elementwise op stays on the calling thread. One token's SwiGLU at the 8B
     * shape (14336 values, a double-precision exp each) ran serially for ~6 % of a 16-thread decode
     * step and ~15 % of a 16-token prefill while the other 15 threads waited (Flight Recorder on the
     * H200 host, docs/perf/NOTES.md); a 4096-value add or norm costs less than waking the workers.
     */
    static final int PARALLEL_ELEMENTS = 8192;

    private final WorkerPool pool;

    /** A backend using {@code threads} threads (the calling thread included). */
    public CpuBackend(int threads) {
        this.pool = new WorkerPool(threads);
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public String name() {
        return "cpu (" + pool.threads() + " thread" + (pool.threads() == 1 ? "" : "s") + ", "
                + F.length() + "-lane float vectors)";
    }

    @Override
    public void matmul(WeightTensor w, float[] x, int batch, float[] out) {
        CpuMatmul.matmul(pool, w, x, batch, out);
    }

    @Override
    public void matmuls(WeightTensor[] ws, float[] x, int batch, float[][] outs) {
        CpuMatmul.matmuls(pool, ws, x, batch, outs);
    }

    @Override
    public void gatedProjection(WeightTensor wGate, WeightTensor wUp, float[] x, int batch, int width, float[] gate,
            float[] up) {
        if (!CpuMatmul.gated(pool, wGate, wUp, x, batch, width, gate, up)) {
            ComputeBackend.super.gatedProjection(wGate, wUp, x, batch, width, gate, up);
        }
    }

    @Override
    public void getRows(WeightTensor table, int[] ids, int from, int count, float[] out) {
        RowKernel k = RowKernel.of(table.type());
        for (int b = 0; b < count; b++) {
            int id = ids[from + b];
            if (id < 0 || id >= table.rows()) {
                throw new IllegalArgumentException("token id " + id + " at index " + (from + b)
                        + " is outside the vocabulary [0, " + table.rows() + ")");
            }
            k.dequantizeRow(table.data(), id * table.rowBytes(), out, b * table.cols(), table.cols());
        }
    }

    // task over [0, items), on the pool when the op touches at least PARALLEL_ELEMENTS values
    private void split(int items, long elements, WorkerPool.RangeTask task) {
        if (elements < PARALLEL_ELEMENTS || items < 2) {
            task.run(0, items);
        } else {
            pool.forEachRange(items, task);
        }
    }

    @Override
    public void rmsNorm(float[] x, float[] weight, float eps, int batch, float[] out) {
        int n = weight.length;
        split(batch, (long) batch * n, (from, to) -> {
            for (int b = from; b < to; b++) {
                int o = b * n;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    ss += (double) x[o + i] * x[o + i];
                }
                float scale = (float) (1.0 / Math.sqrt(ss / n + eps));
                for (int i = 0; i < n; i++) {
                    out[o + i] = x[o + i] * scale * weight[i];
                }
            }
        });
    }

    @Override
    public void rope(float[] x, int batch, int heads, int headWidth, int ropeHalf, float[] cos, float[] sin) {
        split(batch * heads, (long) batch * heads * ropeHalf * 2, (from, to) -> {
            for (int bh = from; bh < to; bh++) {
                int b = bh / heads;
                int o = bh * headWidth;
                for (int i = 0; i < ropeHalf; i++) {
                    float c = cos[b * ropeHalf + i];
                    float s = sin[b * ropeHalf + i];
                    float x0 = x[o + 2 * i];
                    float x1 = x[o + 2 * i + 1];
                    x[o + 2 * i] = x0 * c - x1 * s;
                    x[o + 2 * i + 1] = x0 * s + x1 * c;
                }
            }
        });
    }

    @Override
    public void attention(KvCache cache, int layer, float[] q, float[] k, float[] v, int batch, int startPos,
            int heads, int kvHeads, int keyWidth, int valueWidth, float scale, float[] out) {
        int kEntry = kvHeads * keyWidth;
        int vEntry = kvHeads * valueWidth;
        cache.reserve(startPos + batch);
        for (int b = 0; b < batch; b++) {
            cache.store(layer, startPos + b, k, b * kEntry, v, b * vEntry);
        }
        int group = heads / kvHeads;
        float[] keys = cache.keysF32(layer);
        float[] values = cache.valuesF32(layer);
        boolean blocked = keys != null && FloatDot.dot16Fits(keyWidth);
        WorkerPool.RangeTask task = (from, to) -> {
            float[] scratch = scratch(startPos + batch + Math.max(keyWidth, valueWidth) + FloatDot.DOT16_WORK);
            int tmp = startPos + batch;
            int work = tmp + Math.max(keyWidth, valueWidth);
            for (int bh = from; bh < to; bh++) {
                int b = bh / heads;
                int h = bh % heads;
                int kvh = h / group;
                int positions = startPos + b + 1;
                int qo = (b * heads + h) * keyWidth;
                float max = Float.NEGATIVE_INFINITY;
                int p = 0;
                if (blocked) {
                    // sixteen keys at a time, their dots' lanes summed together (FloatDot.dot16)
                    for (; p + 16 <= positions; p += 16) {
                        FloatDot.dot16(q, qo, keys, p * kEntry + kvh * keyWidth, kEntry, keyWidth, scratch, p, scratch, work);
                        for (int j = p; j < p + 16; j++) {
                            float s = scratch[j] * scale;
                            scratch[j] = s;
                            max = Math.max(max, s);
                        }
                    }
                }
                for (; p < positions; p++) {
                    float dot;
                    if (keys != null) {
                        dot = FloatDot.dot(q, qo, keys, p * kEntry + kvh * keyWidth, keyWidth);
                    } else {
                        cache.readKey(layer, p, kvh * keyWidth, keyWidth, scratch, tmp);
                        dot = FloatDot.dot(q, qo, scratch, tmp, keyWidth);
                    }
                    float s = dot * scale;
                    scratch[p] = s;
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (p = 0; p < positions; p++) {
                    float e = (float) Math.exp(scratch[p] - max);
                    scratch[p] = e;
                    sum += e;
                }
                float inv = (float) (1.0 / sum);
                int oo = (b * heads + h) * valueWidth;
                java.util.Arrays.fill(out, oo, oo + valueWidth, 0f);
                for (p = 0; p < positions; p++) {
                    float weight = scratch[p] * inv;
                    if (values != null) {
                        axpy(weight, values, p * vEntry + kvh * valueWidth, out, oo, valueWidth);
                    } else {
                        cache.readValue(layer, p, kvh * valueWidth, valueWidth, scratch, tmp);
                        axpy(weight, scratch, tmp, out, oo, valueWidth);
                    }
                }
            }
        };
        // multiply-adds of the whole call: tiny ones are cheaper on the calling thread
        long work = (long) batch * heads * (startPos + batch) * (keyWidth + valueWidth);
        if (work < 1 << 16) {
            task.run(0, batch * heads);
        } else {
            pool.forEachRange(batch * heads, task);
        }
    }

    /** y[yOff+i] += a·x[xOff+i]. */
    static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector av = FloatVector.broadcast(F, a);
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).fma(av, FloatVector.fromArray(F, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    @Override
    public void swiglu(float[] gate, float[] up, int n) {
        split(n, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                gate[i] = Silu.times(gate[i], up[i]);
            }
        });
    }

    @Override
    public void add(float[] acc, float[] x, int n) {
        split(n, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                acc[i] += x[i];
            }
        });
    }

    private static float[] scratch(int n) {
        float[] s = SCORES.get();
        if (s.length < n) {
            s = new float[Math.max(n, 2 * s.length)];
            SCORES.set(s);
        }
        return s;
    }

    @Override
    public void close() {
        pool.close();
    }
}
