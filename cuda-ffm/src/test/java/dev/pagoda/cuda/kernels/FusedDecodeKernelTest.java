package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decode step's fused launches (add_rmsnorm, rope_qk_store, matvec_rows3_*, matvec_swiglu_*) against
 * scalar references on fresh random inputs into NaN-poisoned outputs, and the small fused ops against the
 * unfused kernels they replace (same float operations; rope_qk_store and rope share rope_pair.cuh's rotation,
 * whose products are rounded one at a time, so theirs are equal bit for bit).
 */
class FusedDecodeKernelTest {
    private static Cuda cuda;
    private static CudaStream stream;
    private static FusedMatVec fused;
    private final Random random = new Random();

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        stream = cuda.createStream();
        fused = new FusedMatVec(cuda);
    }

    @AfterAll
    static void tearDown() {
        if (fused != null) {
            fused.close();
            stream.close();
        }
    }

    /**
     * Both sums of squares: the strided one (the default) and the record order of -Dpagoda.cuda.normStaging
     * (add_rmsnorm_records, rmsnorm_records), each against the reference and add + rmsnorm of the same order.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void addRmsNormMatchesTheReferenceAndAddThenRmsNorm(boolean recordOrder) {
        String was = System.setProperty(FusedMatVec.NORM_STAGING_PROPERTY, Boolean.toString(recordOrder));
        try {
            checkAddRmsNorm();
        } finally {
            SystemProperties.restore(FusedMatVec.NORM_STAGING_PROPERTY, was);
        }
    }

    private void checkAddRmsNorm() {
        int rows = 3;
        int n = 4096 + 96;
        float eps = 1e-5f;
        float[] x = RandomWeights.gaussian(rows * n, random);
        float[] y = RandomWeights.gaussian(rows * n, random);
        float[] w = RandomWeights.gaussian(n, random);
        double[] wantX = new double[rows * n];
        double[] wantOut = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int i = 0; i < n; i++) {
                float v = x[r * n + i] + y[r * n + i];
                wantX[r * n + i] = v;
                ss += (double) v * v;
            }
            double scale = 1 / Math.sqrt(ss / n + eps);
            for (int i = 0; i < n; i++) {
                wantOut[r * n + i] = wantX[r * n + i] * scale * w[i];
            }
        }
        try (AddRmsNorm op = new AddRmsNorm(cuda); Add add = new Add(cuda); RmsNorm norm = new RmsNorm(cuda);
             DeviceBuffer dx = DeviceArrays.upload(cuda, x); DeviceBuffer dy = DeviceArrays.upload(cuda, y);
             DeviceBuffer dw = DeviceArrays.upload(cuda, w); DeviceBuffer out = DeviceArrays.poisoned(cuda, rows * n);
             DeviceBuffer ux = DeviceArrays.upload(cuda, x); DeviceBuffer uOut = DeviceArrays.poisoned(cuda, rows * n)) {
            op.launch(dx, dy, dw, out, rows, n, eps, stream);
            add.launch(ux, dy, ux, (long) rows * n, stream);
            norm.launch(ux, dw, uOut, rows, n, eps, stream);
            stream.synchronize();
            float[] gotX = DeviceArrays.downloadFloats(dx, rows * n);
            float[] gotOut = DeviceArrays.downloadFloats(out, rows * n);
            DeviceArrays.assertClose(wantX, gotX, 1e-7, "add_rmsnorm residual");
            DeviceArrays.assertClose(wantOut, gotOut, 1e-5, "add_rmsnorm output");
            assertThat(gotX).as("residual equals add's").isEqualTo(DeviceArrays.downloadFloats(ux, rows * n));
            DeviceArrays.assertClose(toDouble(DeviceArrays.downloadFloats(uOut, rows * n)), gotOut, 1e-6,
                    "add_rmsnorm vs add then rmsnorm");

            // out = y, as the decode step runs it (the projection's output buffer is normed in place)
            float[] before = DeviceArrays.downloadFloats(dx, rows * n);
            double[] wantX2 = new double[rows * n];
            for (int i = 0; i < wantX2.length; i++) {
                wantX2[i] = before[i] + y[i];
            }
            op.launch(dx, dy, dw, dy, rows, n, eps, stream);
            stream.synchronize();
            DeviceArrays.assertClose(wantX2, DeviceArrays.downloadFloats(dx, rows * n), 1e-7, "add_rmsnorm in place");
            assertThatThrownBy(() -> op.launch(dx, dy, dw, dx, rows, n, eps, stream))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out must not be x");
        }
    }

    @Test
    void ropeKvStoreMatchesTwoRopesAndTwoStores() {
        int capacity = 50;
        int qHeads = 32;
        int kvHeads = 8;
        int headDim = 128;
        int vWidth = kvHeads * headDim;
        float base = 500000f;
        for (boolean withFactors : new boolean[] {false, true}) {
            for (int pos : new int[] {0, 1 + random.nextInt(capacity - 2), capacity - 1, capacity}) {
                checkRopeKvStore(capacity, qHeads, kvHeads, headDim, vWidth, base, pos, withFactors);
            }
        }
    }

    private void checkRopeKvStore(int capacity, int qHeads, int kvHeads, int headDim, int vWidth, float base, int pos,
                                  boolean withFactors) {
        float[] q = RandomWeights.gaussian(qHeads * headDim, random);
        float[] k = RandomWeights.gaussian(kvHeads * headDim, random);
        float[] v = RandomWeights.gaussian(vWidth, random);
        float[] factors = new float[headDim / 2];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = 1 + 7 * random.nextFloat();
        }
        float[] f = withFactors ? factors : null;
        int kWidth = kvHeads * headDim;
        String what = "rope_qk_store at position " + pos + (withFactors ? " with frequency factors" : "");
        try (RopeKvStore op = new RopeKvStore(cuda); Rope rope = new Rope(cuda); KvStore store = new KvStore(cuda);
             DeviceBuffer dq = DeviceArrays.upload(cuda, q); DeviceBuffer dk = DeviceArrays.upload(cuda, k);
             DeviceBuffer dv = DeviceArrays.upload(cuda, v); DeviceBuffer uq = DeviceArrays.upload(cuda, q);
             DeviceBuffer uk = DeviceArrays.upload(cuda, k); DeviceBuffer dp = DeviceArrays.upload(cuda, new int[] {pos});
             DeviceBuffer df = DeviceArrays.upload(cuda, factors);
             DeviceBuffer kc = cuda.allocate((long) (capacity + 1) * kWidth * 2);
             DeviceBuffer vc = cuda.allocate((long) (capacity + 1) * vWidth * 2);
             DeviceBuffer ukc = cuda.allocate((long) (capacity + 1) * kWidth * 2);
             DeviceBuffer uvc = cuda.allocate((long) (capacity + 1) * vWidth * 2)) {
            for (DeviceBuffer c : List.of(kc, vc, ukc, uvc)) {
                c.fill32(0x7e007e00);
            }
            op.launch(dq, dk, dv, kc, vc, dp, withFactors ? df : null, 1, qHeads, kvHeads, headDim, vWidth, base,
                    capacity, stream);
            if (withFactors) {
                rope.launch(uq, dp, df, 1, qHeads, headDim, base, stream);
                rope.launch(uk, dp, df, 1, kvHeads, headDim, base, stream);
            } else {
                rope.launch(uq, dp, 1, qHeads, headDim, base, stream);
                rope.launch(uk, dp, 1, kvHeads, headDim, base, stream);
            }
            store.launch(uk, ukc, 1, kWidth, dp, capacity, stream);
            store.launch(dv, uvc, 1, vWidth, dp, capacity, stream);
            stream.synchronize();
            float[] gotQ = DeviceArrays.downloadFloats(dq, q.length);
            float[] gotK = DeviceArrays.downloadFloats(dk, k.length);
            DeviceArrays.assertClose(RopeKernelTest.reference(q, new int[] {pos}, f, qHeads, headDim, base), gotQ, 1e-3,
                    what + ": q");
            DeviceArrays.assertClose(RopeKernelTest.reference(k, new int[] {pos}, f, kvHeads, headDim, base), gotK, 1e-3,
                    what + ": k");
            assertThat(gotQ).as("%s: q equals rope's", what).isEqualTo(DeviceArrays.downloadFloats(uq, q.length));
            assertThat(gotK).as("%s: k equals rope's", what).isEqualTo(DeviceArrays.downloadFloats(uk, k.length));
            short[] keys = DeviceArrays.downloadShorts(kc, (capacity + 1) * kWidth);
            short[] values = DeviceArrays.downloadShorts(vc, (capacity + 1) * vWidth);
            assertThat(values).as("%s: value cache equals kv_store's", what)
                    .isEqualTo(DeviceArrays.downloadShorts(uvc, (capacity + 1) * vWidth));
            for (int i = 0; i < keys.length; i++) {
                short want = i / kWidth == pos && pos < capacity ? Float.floatToFloat16(gotK[i % kWidth]) : (short) 0x7e00;
                assertThat(keys[i]).as("%s: key cache element %d", what, i).isEqualTo(want);
            }
            for (int i = 0; i < values.length; i++) {
                short want = i / vWidth == pos && pos < capacity ? Float.floatToFloat16(v[i % vWidth]) : (short) 0x7e00;
                assertThat(values[i]).as("%s: value cache element %d", what, i).isEqualTo(want);
            }
        }
    }

    /**
     * Three matrices (q/k/v-like row counts, one odd so a row group straddles two matrices), then two,
     * then one, each at its own offset, every output poisoned.
     */
    @ParameterizedTest
    @EnumSource(WeightType.class)
    void groupedLaunchMatchesEachMatrix(WeightType type) {
        checkGrouped(type, 512, new int[] {300, 64, 37});
        checkGrouped(type, 1024, new int[] {129, 255});
        checkGrouped(type, 256, new int[] {70});
        if (type == WeightType.Q4_K || type == WeightType.Q6_K) {
            checkGrouped(type, 4096, new int[] {512, 128, 128});
        }
    }

    private void checkGrouped(WeightType type, int cols, int[] rows) {
        checkGrouped(cuda, stream, fused, random, type, cols, rows,
                (matrix, r, x) -> MatVecKernelTest.reference(ReferenceDequant.dequantize(type, matrix, 0, r, cols), x, r, cols),
                "matvec_rows3");
    }

    /** What one matrix of a grouped launch should produce for x (its rows r, width as the launch's). */
    interface GroupedReference {
        double[] product(byte[] matrix, int rows, float[] x);
    }

    /**
     * One launch of {@code fused} over matrices of {@code rows} rows each, every one at a random offset
     * behind random bytes, into NaN-poisoned outputs, each output against {@code reference} (also the
     * int8 launches' check, IntegerXMatVecKernelTest).
     */
    static void checkGrouped(Cuda cuda, CudaStream stream, FusedMatVec fused, Random random, WeightType type, int cols,
            int[] rows, GroupedReference reference, String kernel) {
        float[] x = RandomWeights.gaussian(cols, random);
        List<DeviceBuffer> owned = new ArrayList<>();
        List<FusedMatVec.Part> parts = new ArrayList<>();
        List<double[]> wants = new ArrayList<>();
        try (DeviceBuffer dx = DeviceArrays.upload(cuda, x)) {
            for (int r : rows) {
                byte[] matrix = RandomWeights.matrix(type, r, cols, random);
                int offset = type.alignment() == 16 ? 16 * random.nextInt(4) : 2 * random.nextInt(7);
                byte[] padded = RandomWeights.atOffset(matrix, offset, random);
                wants.add(reference.product(matrix, r, x));
                DeviceBuffer w = DeviceArrays.upload(cuda, padded);
                owned.add(w);
                DeviceBuffer y = DeviceArrays.poisoned(cuda, r);
                owned.add(y);
                parts.add(new FusedMatVec.Part(w, offset, r, y));
            }
            fused.launch(type, cols, dx, parts, stream);
            stream.synchronize();
            for (int i = 0; i < rows.length; i++) {
                DeviceArrays.assertClose(wants.get(i), DeviceArrays.downloadFloats(parts.get(i).y(), rows[i]), 1e-5,
                        kernel + " " + type + " matrix " + i + " of " + rows.length + " (" + rows[i] + "x" + cols + ")");
            }
        } finally {
            owned.forEach(DeviceBuffer::close);
        }
    }

    @ParameterizedTest
    @EnumSource(WeightType.class)
    void swiGluLaunchMatchesTheReference(WeightType type) {
        checkSwiGlu(type, 333, 1024);
        if (type == WeightType.Q4_K || type == WeightType.Q6_K) {
            checkSwiGlu(type, 64, 14336);
        }
    }

    private void checkSwiGlu(WeightType type, int rows, int cols) {
        float[] gate = RandomWeights.gaussian(cols, random);
        float[] up = RandomWeights.gaussian(cols, random);
        float[] h = new float[cols];
        for (int i = 0; i < cols; i++) {
            h[i] = (float) (gate[i] / (1 + Math.exp(-gate[i])) * up[i]);
        }
        byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
        double[] want = MatVecKernelTest.reference(ReferenceDequant.dequantize(type, matrix, 0, rows, cols), h, rows, cols);
        try (DeviceBuffer w = DeviceArrays.upload(cuda, matrix); DeviceBuffer g = DeviceArrays.upload(cuda, gate);
             DeviceBuffer u = DeviceArrays.upload(cuda, up); DeviceBuffer y = DeviceArrays.poisoned(cuda, rows)) {
            fused.launchSwiGlu(type, w, 0, rows, cols, g, u, y, stream);
            stream.synchronize();
            DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(y, rows), 1e-5,
                    "matvec_swiglu " + type + " " + rows + "x" + cols);
        }
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Test
    void badGroupsAreRejectedInJava() {
        try (DeviceBuffer w = cuda.allocate(1 << 16); DeviceBuffer x = cuda.allocate(4096); DeviceBuffer y = cuda.allocate(4096)) {
            FusedMatVec.Part p = new FusedMatVec.Part(w, 0, 4, y);
            assertThatThrownBy(() -> fused.launch(WeightType.Q8_0, 256, x, List.of(p, p, p, p), stream))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..3 matrices");
            assertThatThrownBy(() -> fused.launch(WeightType.Q8_0, 256, x, List.of(p, new FusedMatVec.Part(w, 0, 5000, y)), stream))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("matrix 1");
        }
    }
}
