package dev.pagoda.core.cpu;

import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Weight × activation products on the CPU, reading the weights where they lie (mapped file) in
 * their own format, rows split across a {@link WorkerPool}.
 *
 * <p>Decode (one token) runs the fused quantized dot of each format's {@link RowKernel}. Prefill
 * (several tokens) dequantizes a slice of four rows at a time into a per-thread scratch (with the
 * gguf module's vectorised {@link GgmlType#dequantize}) and multiplies it with four tokens at a
 * time, so each weight byte is read and unpacked once per batch rather than once per token.
 */
public final class CpuMatmul {
    /** Below this many tokens, unpacking rows costs more than it saves. */
    private static final int UNPACK_MIN_BATCH = 4;
    /** Products smaller than this many multiply-adds run on the calling thread: waking workers costs more. */
    private static final long PARALLEL_MIN_WORK = 1 << 16;
    /**
     * Columns per prefill slice: four rows of it (16 KB) stay in L1, a 64-token batch's
     * activations for it (256 KB) in L2. A multiple of every block size (32 and 256).
     */
    private static final int SLICE = 1024;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private CpuMatmul() {}

    /**
     * out[b·rows + r] = Σ_c w[r][c]·x[b·cols + c] for b &lt; batch: x is batch × cols row-major,
     * out batch × rows row-major.
     */
    public static void matmul(WorkerPool pool, WeightTensor w, float[] x, int batch, float[] out) {
        RowKernel k = RowKernel.of(w.type());
        GgmlType type = w.type();
        MemorySegment data = w.data();
        long rowBytes = w.rowBytes();
        int rows = w.rows();
        int cols = w.cols();
        long work = (long) rows * cols * batch;
        if (batch < UNPACK_MIN_BATCH) {
            WorkerPool.RangeTask task = (from, to) -> {
                for (int r = from; r < to; r++) {
                    for (int b = 0; b < batch; b++) {
                        out[b * rows + r] = k.dot(data, r * rowBytes, x, b * cols, cols);
                    }
                }
            };
            run(pool, rows, work, task);
            return;
        }
        prefill(pool, type, data, rowBytes, rows, cols, x, batch, out, work);
    }

    /**
     * outs[i] = ws[i] x for every i, each element as {@link #matmul} computes it. A decode batch runs
     * as one split of all the matrices' rows (q, k and v: one wait for the pool instead of three, and
     * k and v, a quarter of q's rows each at the 8B shape, no longer a split of their own); larger
     * batches take the prefill path one matrix at a time.
     */
    public static void matmuls(WorkerPool pool, WeightTensor[] ws, float[] x, int batch, float[][] outs) {
        if (ws.length != outs.length) {
            throw new IllegalArgumentException(ws.length + " matrices but " + outs.length + " outputs");
        }
        if (batch >= UNPACK_MIN_BATCH || ws.length == 1) {
            for (int i = 0; i < ws.length; i++) {
                matmul(pool, ws[i], x, batch, outs[i]);
            }
            return;
        }
        int[] ends = new int[ws.length];
        RowKernel[] kernels = new RowKernel[ws.length];
        long work = 0;
        for (int i = 0; i < ws.length; i++) {
            ends[i] = (i == 0 ? 0 : ends[i - 1]) + ws[i].rows();
            kernels[i] = RowKernel.of(ws[i].type());
            work += (long) ws[i].rows() * ws[i].cols() * batch;
        }
        WorkerPool.RangeTask task = (from, to) -> {
            int m = 0;
            for (int r = from; r < to; r++) {
                while (r >= ends[m]) {
                    m++;
                }
                WeightTensor w = ws[m];
                int row = r - (m == 0 ? 0 : ends[m - 1]);
                for (int b = 0; b < batch; b++) {
                    outs[m][b * w.rows() + row] = kernels[m].dot(w.data(), row * w.rowBytes(), x, b * w.cols(), w.cols());
                }
            }
        };
        run(pool, ends[ws.length - 1], work, task);
    }

    /**
     * For a decode batch: up = wUp x and gate = silu(wGate x) · up, row r of both products and its SwiGLU
     * by one thread (one split instead of the two products' and the SwiGLU's), each value as
     * {@link #matmul} and the elementwise SwiGLU compute it. Returns false, computing nothing, for a
     * prefill batch or matrices that are not both {@code width} rows of one width.
     */
    static boolean gated(WorkerPool pool, WeightTensor wGate, WeightTensor wUp, float[] x, int batch, int width,
            float[] gate, float[] up) {
        if (batch >= UNPACK_MIN_BATCH || wGate.rows() != width || wUp.rows() != width || wGate.cols() != wUp.cols()) {
            return false;
        }
        RowKernel kg = RowKernel.of(wGate.type());
        RowKernel ku = RowKernel.of(wUp.type());
        int cols = wGate.cols();
        WorkerPool.RangeTask task = (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int b = 0; b < batch; b++) {
                    float g = kg.dot(wGate.data(), r * wGate.rowBytes(), x, b * cols, cols);
                    float u = ku.dot(wUp.data(), r * wUp.rowBytes(), x, b * cols, cols);
                    up[b * width + r] = u;
                    gate[b * width + r] = Silu.times(g, u);
                }
            }
        };
        run(pool, width, 2L * width * cols * batch, task);
        return true;
    }

    // task over [0, n) on the pool, or on the calling thread when the work is too small to wake it
    private static void run(WorkerPool pool, int n, long work, WorkerPool.RangeTask task) {
        if (work < PARALLEL_MIN_WORK) {
            task.run(0, n);
        } else {
            pool.forEachRange(n, task);
        }
    }

    /**
     * The batched product, blocked three ways: rows in groups of four (threads split the groups),
     * columns in slices of {@link #SLICE} (four rows' slice, dequantized once, stays in L1 while it
     * meets every token; the batch's activations for one slice stay in L2 while a thread walks
     * its row groups), tokens in fours ({@link FloatDot#dot4x4}, 16 accumulators).
     */
    private static void prefill(WorkerPool pool, GgmlType type, MemorySegment data, long rowBytes, int rows, int cols,
            float[] x, int batch, float[] out, long work) {
        int groups = (rows + 3) / 4;
        long sliceBytes = type.byteSize(SLICE);
        WorkerPool.RangeTask task = (from, to) -> {
            float[] tile = scratch(4 * SLICE + FloatDot.DOT4X4_SUMS);
            int sumsAt = 4 * SLICE;
            for (int k0 = 0; k0 < cols; k0 += SLICE) {
                int kc = Math.min(SLICE, cols - k0);
                long sliceOffset = (k0 / SLICE) * sliceBytes;
                for (int g = from; g < to; g++) {
                    int r0 = 4 * g;
                    int count = Math.min(4, rows - r0);
                    for (int r = 0; r < 4; r++) {
                        if (r < count) {
                            type.dequantize(data, (r0 + r) * rowBytes + sliceOffset, tile, r * kc, kc);
                        } else {
                            java.util.Arrays.fill(tile, r * kc, (r + 1) * kc, 0f);
                        }
                    }
                    int b = 0;
                    for (; b + 4 <= batch; b += 4) {
                        FloatDot.dot4x4(tile, kc, x, b * cols + k0, cols, tile, sumsAt);
                        for (int t = 0; t < 4; t++) {
                            store(out, (b + t) * rows + r0, tile, sumsAt + 4 * t, count, k0 == 0);
                        }
                    }
                    for (; b < batch; b++) {
                        FloatDot.dot4(tile, x, b * cols + k0, kc, tile, sumsAt, 1);
                        store(out, b * rows + r0, tile, sumsAt, count, k0 == 0);
                    }
                }
            }
        };
        run(pool, groups, work, task);
    }

    /** out[o..o+count) = (or +=, after the first column slice) sums[s..s+count). */
    private static void store(float[] out, int o, float[] sums, int s, int count, boolean first) {
        for (int r = 0; r < count; r++) {
            out[o + r] = first ? sums[s + r] : out[o + r] + sums[s + r];
        }
    }

    /** Scalar reference for {@link #matmul}: one row, one token, one element at a time. */
    public static void matmulScalar(WeightTensor w, float[] x, int batch, float[] out) {
        RowKernel k = RowKernel.of(w.type());
        for (int r = 0; r < w.rows(); r++) {
            for (int b = 0; b < batch; b++) {
                out[b * w.rows() + r] = k.dotScalar(w.data(), r * w.rowBytes(), x, b * w.cols(), w.cols());
            }
        }
    }

    private static float[] scratch(int n) {
        float[] s = SCRATCH.get();
        if (s.length < n) {
            s = new float[n];
            SCRATCH.set(s);
        }
        return s;
    }
}
