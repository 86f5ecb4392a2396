package dev.pagoda.core.cpu;

import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Weight × activation products on the CPU, reading the weights where they lie (mapped file) in
 * their own format, rows split across a {@link WorkerPool}.
 *
 * <p>Decode (one token) runs the fused quantized dot of each format's {@link RowKernel}. Prefill
 * (several tokens) dequantizes four rows at a time into a per-thread scratch (with the gguf
 * module's vectorised {@link GgmlType#dequantize}) and dots them with
 * every token, so each weight byte is read and unpacked once per batch rather than once per token.
 */
public final class CpuMatmul {
    /** Below this many tokens, unpacking rows costs more than it saves. */
    private static final int UNPACK_MIN_BATCH = 4;
    /** Products smaller than this many multiply-adds run on the calling thread: waking workers costs more. */
    private static final long PARALLEL_MIN_WORK = 1 << 16;
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
        boolean small = (long) rows * cols * batch < PARALLEL_MIN_WORK;
        if (batch < UNPACK_MIN_BATCH) {
            WorkerPool.RangeTask task = (from, to) -> {
                for (int r = from; r < to; r++) {
                    for (int b = 0; b < batch; b++) {
                        out[b * rows + r] = k.dot(data, r * rowBytes, x, b * cols, cols);
                    }
                }
            };
            if (small) {
                task.run(0, rows);
            } else {
                pool.forEachRange(rows, task);
            }
            return;
        }
        int groups = (rows + 3) / 4;
        WorkerPool.RangeTask task = (from, to) -> {
            float[] rowsBuf = scratch(4 * cols);
            float[] tail = new float[4];
            for (int g = from; g < to; g++) {
                int r0 = 4 * g;
                int count = Math.min(4, rows - r0);
                for (int k4 = 0; k4 < 4; k4++) {
                    if (k4 < count) {
                        type.dequantize(data, (r0 + k4) * rowBytes, rowsBuf, k4 * cols, cols);
                    } else {
                        java.util.Arrays.fill(rowsBuf, k4 * cols, (k4 + 1) * cols, 0f);
                    }
                }
                for (int b = 0; b < batch; b++) {
                    if (count == 4) {
                        FloatDot.dot4(rowsBuf, x, b * cols, cols, out, b * rows + r0, 1);
                    } else {
                        FloatDot.dot4(rowsBuf, x, b * cols, cols, tail, 0, 1);
                        System.arraycopy(tail, 0, out, b * rows + r0, count);
                    }
                }
            }
        };
        if (small) {
            task.run(0, groups);
        } else {
            pool.forEachRange(groups, task);
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
