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

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * F32, F16 and BF16 rows whose width is not a multiple of 32 (stories260K's FFN of 172, and 1, 7, 33,
 * 4100): the any-width matvec (plain, three matrices, SwiGLU input), prefill matmul (a partial last k
 * step, ragged batches), embedding and the padded f16 rounding, against float64 references on fresh
 * random inputs with poisoned outputs. Every matrix ends exactly at the end of an allocation whose size
 * is a whole number of 2 MiB pages, so that a tail read past the matrix lands outside the allocation.
 */
class AnyWidthKernelTest {
    private static final int[] WIDTHS = {1, 7, 33, 172, 4100};
    private static final int PAGE = 2 << 20;
    private static final int GUARD = 64;

    private static Cuda cuda;
    private static MatVec matVec;
    private static FusedMatVec fused;
    private static MatMul matMul;
    private static Embedding embedding;
    private static CudaStream stream;
    private final Random random = new Random();

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        matVec = new MatVec(cuda);
        fused = new FusedMatVec(cuda);
        matMul = new MatMul(cuda);
        embedding = new Embedding(cuda);
        stream = cuda.createStream();
    }

    @AfterAll
    static void tearDown() {
        if (matVec != null) {
            stream.close();
            embedding.close();
            matMul.close();
            fused.close();
            matVec.close();
        }
    }

    /** The matrix at the very end of a buffer of whole 2 MiB pages; its offset is returned through the buffer size. */
    private static DeviceBuffer atEnd(byte[] matrix) {
        int size = (matrix.length + PAGE - 1) / PAGE * PAGE;
        byte[] placed = new byte[size];
        new Random().nextBytes(placed);
        System.arraycopy(matrix, 0, placed, size - matrix.length, matrix.length);
        return DeviceArrays.upload(cuda, placed);
    }

    private static long offsetOf(DeviceBuffer b, byte[] matrix) {
        return b.byteSize() - matrix.length;
    }

    private static double[] product(float[] w, float[] x, int rows, int cols) {
        return MatVecKernelTest.reference(w, x, rows, cols);
    }

    private static void assertGuardPoisoned(float[] out, int from, String what) {
        for (int i = from; i < out.length; i++) {
            assertThat(Float.floatToRawIntBits(out[i])).as("%s: float %d past the output was written", what, i)
                    .isEqualTo(DeviceArrays.NAN_BITS);
        }
    }

    @ParameterizedTest
    @EnumSource(value = WeightType.class, names = {"F32", "F16", "BF16"})
    void matVecOfAnyWidth(WeightType type) {
        for (int cols : WIDTHS) {
            for (int rows : new int[]{1, 3, 67, 4501}) {
                byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
                float[] x = RandomWeights.gaussian(cols, random);
                double[] want = product(ReferenceDequant.dequantize(type, matrix, 0, rows, cols), x, rows, cols);
                String what = "matvec " + type + " " + rows + "x" + cols;
                try (DeviceBuffer w = atEnd(matrix); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
                     DeviceBuffer y = DeviceArrays.poisoned(cuda, rows + GUARD)) {
                    matVec.launch(type, w, offsetOf(w, matrix), rows, cols, dx, y, stream);
                    stream.synchronize();
                    float[] out = DeviceArrays.downloadFloats(y, rows + GUARD);
                    DeviceArrays.assertClose(want, Arrays.copyOf(out, rows), 1e-5, what);
                    assertGuardPoisoned(out, rows, what);
                }
            }
        }
    }

    /** Three matrices in one launch (q/k/v, gate/up) and the SwiGLU-input launch (the FFN's down projection). */
    @ParameterizedTest
    @EnumSource(value = WeightType.class, names = {"F32", "F16", "BF16"})
    void fusedMatVecOfAnyWidth(WeightType type) {
        for (int cols : WIDTHS) {
            int[] rows = {5, 64, 33};
            byte[][] matrices = new byte[3][];
            double[][] want = new double[3][];
            float[] x = RandomWeights.gaussian(cols, random);
            for (int i = 0; i < 3; i++) {
                matrices[i] = RandomWeights.matrix(type, rows[i], cols, random);
                want[i] = product(ReferenceDequant.dequantize(type, matrices[i], 0, rows[i], cols), x, rows[i], cols);
            }
            try (DeviceBuffer w0 = atEnd(matrices[0]); DeviceBuffer w1 = atEnd(matrices[1]); DeviceBuffer w2 = atEnd(matrices[2]);
                 DeviceBuffer dx = DeviceArrays.upload(cuda, x); DeviceBuffer y0 = DeviceArrays.poisoned(cuda, rows[0] + GUARD);
                 DeviceBuffer y1 = DeviceArrays.poisoned(cuda, rows[1] + GUARD);
                 DeviceBuffer y2 = DeviceArrays.poisoned(cuda, rows[2] + GUARD)) {
                DeviceBuffer[] ys = {y0, y1, y2};
                fused.launch(type, cols, dx, List.of(new FusedMatVec.Part(w0, offsetOf(w0, matrices[0]), rows[0], y0),
                        new FusedMatVec.Part(w1, offsetOf(w1, matrices[1]), rows[1], y1),
                        new FusedMatVec.Part(w2, offsetOf(w2, matrices[2]), rows[2], y2)), stream);
                stream.synchronize();
                for (int i = 0; i < 3; i++) {
                    String what = "matvec_rows3 " + type + " matrix " + i + " " + rows[i] + "x" + cols;
                    float[] out = DeviceArrays.downloadFloats(ys[i], rows[i] + GUARD);
                    DeviceArrays.assertClose(want[i], Arrays.copyOf(out, rows[i]), 1e-5, what);
                    assertGuardPoisoned(out, rows[i], what);
                }
            }

            int downRows = 67;
            byte[] down = RandomWeights.matrix(type, downRows, cols, random);
            float[] gate = RandomWeights.gaussian(cols, random);
            float[] up = RandomWeights.gaussian(cols, random);
            float[] h = new float[cols];
            for (int k = 0; k < cols; k++) {
                h[k] = gate[k] / (1.0f + (float) Math.exp(-gate[k])) * up[k];
            }
            double[] wantDown = product(ReferenceDequant.dequantize(type, down, 0, downRows, cols), h, downRows, cols);
            String what = "matvec_swiglu " + type + " " + downRows + "x" + cols;
            try (DeviceBuffer w = atEnd(down); DeviceBuffer dg = DeviceArrays.upload(cuda, gate);
                 DeviceBuffer du = DeviceArrays.upload(cuda, up); DeviceBuffer y = DeviceArrays.poisoned(cuda, downRows + GUARD)) {
                fused.launchSwiGlu(type, w, offsetOf(w, down), downRows, cols, dg, du, y, stream);
                stream.synchronize();
                float[] out = DeviceArrays.downloadFloats(y, downRows + GUARD);
                DeviceArrays.assertClose(wantDown, Arrays.copyOf(out, downRows), 1e-5, what);
                assertGuardPoisoned(out, downRows, what);
            }
        }
    }

    private static float toHalfPrecision(float v) {
        return Float.float16ToFloat(Float.floatToFloat16(v));
    }

    /** Ragged batches and row counts on both tilings, each width's last k step partial (or a single partial step). */
    @ParameterizedTest
    @EnumSource(value = WeightType.class, names = {"F32", "F16", "BF16"})
    void matMulOfAnyWidth(WeightType type) {
        for (int cols : WIDTHS) {
            for (int tokens : new int[]{2, 37, 65}) {
                checkMatMul(type, cols == 4100 ? 130 : 131, cols, tokens);
            }
        }
        int tokens = 515;
        int tokenTiles = (tokens + MatMul.TILE_TOKENS - 1) / MatMul.TILE_TOKENS;
        int rows = MatMul.TILE_ROWS * ((cuda.multiprocessorCount() + tokenTiles - 1) / tokenTiles) - 5;
        assertThat(MatMul.tileTokens(tokens)).isEqualTo(MatMul.TILE_TOKENS);
        checkMatMul(type, rows, 172, tokens);
    }

    private void checkMatMul(WeightType type, int rows, int cols, int tokens) {
        byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
        float[] w = ReferenceDequant.dequantize(type, matrix, 0, rows, cols);
        float[] x = RandomWeights.gaussian(tokens * cols, random);
        double[] want = new double[tokens * rows];
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double acc = 0;
                for (int k = 0; k < cols; k++) {
                    acc += (double) toHalfPrecision(x[t * cols + k]) * toHalfPrecision(w[r * cols + k]);
                }
                want[t * rows + r] = acc;
            }
        }
        String what = "matmul " + type + " " + tokens + "x" + rows + "x" + cols;
        try (DeviceBuffer dw = atEnd(matrix); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer dxHalf = DeviceArrays.poisoned(cuda, MatMul.halfBytes(tokens, cols) / Float.BYTES + 1);
             DeviceBuffer y = DeviceArrays.poisoned(cuda, (long) tokens * rows + GUARD)) {
            matMul.toHalf(dx, tokens, cols, dxHalf, stream);
            matMul.launchHalf(type, dw, offsetOf(dw, matrix), rows, cols, dxHalf, tokens, y, stream);
            stream.synchronize();
            float[] out = DeviceArrays.downloadFloats(y, tokens * rows + GUARD);
            DeviceArrays.assertClose(want, Arrays.copyOf(out, tokens * rows), 2e-4, what);
            assertGuardPoisoned(out, tokens * rows, what);
        }
    }

    /** The f16 rows are X rounded to nearest even, padded with zeros to whole k steps; nothing past them is written. */
    @Test
    void toHalfPadsRowsWithZeros() {
        for (int cols : new int[]{1, 7, 8, 33, 172, 4100, 96}) {
            int tokens = 5;
            int pitch = MatMul.halfPitch(cols);
            assertThat(pitch % 32).isZero();
            assertThat(pitch).isBetween(cols, cols + 31);
            float[] x = RandomWeights.gaussian(tokens * cols, random);
            int halves = tokens * pitch;
            try (DeviceBuffer dx = DeviceArrays.upload(cuda, x);
                 DeviceBuffer dh = DeviceArrays.poisoned(cuda, halves / 2 + GUARD)) {
                matMul.toHalf(dx, tokens, cols, dh, stream);
                stream.synchronize();
                short[] got = DeviceArrays.downloadShorts(dh, halves + 2 * GUARD);
                for (int t = 0; t < tokens; t++) {
                    for (int c = 0; c < pitch; c++) {
                        short want = c < cols ? Float.floatToFloat16(x[t * cols + c]) : 0;
                        assertThat(got[t * pitch + c]).as("toHalf %d cols: token %d column %d", cols, t, c).isEqualTo(want);
                    }
                }
                for (int i = halves; i < got.length; i++) {
                    assertThat(got[i] & 0xffff).as("toHalf %d cols: half %d past the copy was written", cols, i)
                            .isEqualTo(i % 2 == 0 ? DeviceArrays.NAN_BITS & 0xffff : DeviceArrays.NAN_BITS >>> 16);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = WeightType.class, names = {"F32", "F16", "BF16"})
    void embeddingOfAnyWidth(WeightType type) {
        for (int cols : WIDTHS) {
            int vocab = 53;
            byte[] table = RandomWeights.matrix(type, vocab, cols, random);
            float[] values = ReferenceDequant.dequantize(type, table, 0, vocab, cols);
            int[] ids = {vocab - 1, 0, 17, vocab, -1, vocab - 1};
            String what = "embedding " + type + " " + cols + " columns";
            try (DeviceBuffer w = atEnd(table); DeviceBuffer dIds = DeviceArrays.upload(cuda, ids);
                 DeviceBuffer out = DeviceArrays.poisoned(cuda, (long) ids.length * cols + GUARD)) {
                embedding.launch(type, w, offsetOf(w, table), vocab, cols, dIds, ids.length, out, stream);
                stream.synchronize();
                float[] got = DeviceArrays.downloadFloats(out, ids.length * cols + GUARD);
                for (int t = 0; t < ids.length; t++) {
                    for (int k = 0; k < cols; k++) {
                        float g = got[t * cols + k];
                        if (ids[t] < 0 || ids[t] >= vocab) {
                            assertThat(g).as("%s: out-of-vocabulary id %d, column %d", what, ids[t], k).isNaN();
                        } else {
                            assertThat(g).as("%s: token %d column %d", what, t, k).isEqualTo(values[ids[t] * cols + k]);
                        }
                    }
                }
                assertGuardPoisoned(got, ids.length * cols, what);
            }
        }
    }

    /** Quantized rows still need whole blocks; float rows of any width may start at any element. */
    @Test
    void widthsAndOffsetsTheKernelsCannotReadAreRejected() {
        try (DeviceBuffer w = cuda.allocate(4096); DeviceBuffer x = cuda.allocate(4096); DeviceBuffer y = cuda.allocate(4096)) {
            assertThatThrownBy(() -> matVec.launch(WeightType.Q8_0, w, 0, 1, 172, x, y, stream))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
            assertThatThrownBy(() -> matVec.launch(WeightType.F32, w, 2, 1, 172, x, y, stream))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 4");
            assertThatThrownBy(() -> matVec.launch(WeightType.F32, w, 0, 1, 0, x, y, stream))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one element");
        }
        assertThat(WeightType.F16.alignment(172)).isEqualTo(2);
        assertThat(WeightType.F16.alignment(256)).isEqualTo(16);
        assertThat(WeightType.F16.rowBytes(7)).isEqualTo(14);
    }
}
