package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The int8-x decode kernels ({@link MatVecInput#INT8}: {@code matvec_x8_*}, {@code matvec_rows3_x8_*},
 * {@code matvec_swiglu_x8_*}) against a scalar reference that quantizes x exactly as the kernels do (the
 * same float operations, so the same int8 values) and sums w x̂ in double, into NaN-poisoned outputs
 * (every offset and minimum term of the kernels runs on the quantized x too). A last check bounds how far
 * int8 x moves a product from float x.
 */
class Int8MatVecKernelTest {
    private static Cuda cuda;
    private static CudaStream stream;
    private static MatVec matVec;
    private static FusedMatVec fused;
    private final Random random = new Random();

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        stream = cuda.createStream();
        matVec = new MatVec(cuda, MatVecInput.INT8);
        fused = new FusedMatVec(cuda, MatVecInput.INT8);
    }

    @AfterAll
    static void tearDown() {
        if (matVec != null) {
            fused.close();
            matVec.close();
            stream.close();
        }
    }

    /** x as the kernels see it: per aligned 32, d = max|x| / 127 and q = x · (127 / max|x|) rounded to even. */
    static double[] quantized(float[] x) {
        double[] out = new double[x.length];
        for (int b = 0; b < x.length; b += 32) {
            float amax = 0;
            for (int k = b; k < b + 32; k++) {
                amax = Math.max(amax, Math.abs(x[k]));
            }
            float d = amax / 127.0f;
            float id = amax > 0 ? 127.0f / amax : 0.0f;
            for (int k = b; k < b + 32; k++) {
                float q = Math.fma(x[k], id, 12582912.0f) - 12582912.0f;
                out[k] = (double) d * q;
            }
        }
        return out;
    }

    /** y = sum w x̂: the int8 product of the kernels. */
    static double[] reference(WeightType type, byte[] matrix, int offset, int rows, int cols, float[] x) {
        return MatVecKernelTest.reference(ReferenceDequant.dequantize(type, matrix, offset, rows, cols), quantized(x),
                rows, cols);
    }

    /**
     * The grid-stride loop (more rows than warps), offsets that put q8_0 / q4_0 / q6_K blocks at both word
     * alignments, the 8B shapes where rows are split over warps, and q4_K's odd-step pipelines.
     */
    @ParameterizedTest
    @EnumSource(value = WeightType.class, names = {"Q4_0", "Q8_0", "Q4_K", "Q6_K"})
    void plainLaunchMatchesTheQuantizedReference(WeightType type) {
        check(type, 4500, 512, 0);
        check(type, 37, 2048, type.alignment() == 16 ? 4096 : 2 * 1234);
        check(type, 129, 2816, type.alignment() == 16 ? 0 : 2);
        check(type, 1024, 4096, 0);
        check(type, 4096, 14336, 0);
        if (type == WeightType.Q4_K) {
            check(type, 4500, 3072, 0);
        }
    }

    private void check(WeightType type, int rows, int cols, int offset) {
        byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
        byte[] padded = RandomWeights.atOffset(matrix, offset, random);
        float[] x = RandomWeights.gaussian(cols, random);
        x[7] = 0;
        java.util.Arrays.fill(x, 32, 64, 0.0f);  // a unit of zeros: scale 0
        double[] want = reference(type, matrix, 0, rows, cols, x);
        try (DeviceBuffer w = DeviceArrays.upload(cuda, padded); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer y = DeviceArrays.poisoned(cuda, rows)) {
            matVec.launch(type, w, offset, rows, cols, dx, y, stream);
            stream.synchronize();
            DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(y, rows), 1e-5,
                    "matvec_x8 " + type + " " + rows + "x" + cols + " at offset " + offset);
        }
    }

    @ParameterizedTest
    @EnumSource(value = WeightType.class, names = {"Q4_0", "Q8_0", "Q4_K", "Q6_K"})
    void groupedLaunchMatchesEachMatrix(WeightType type) {
        checkGrouped(type, 512, new int[] {300, 64, 37});
        checkGrouped(type, 4096, new int[] {512, 128, 128});
    }

    private void checkGrouped(WeightType type, int cols, int[] rows) {
        FusedDecodeKernelTest.checkGrouped(cuda, stream, fused, random, type, cols, rows,
                (matrix, r, x) -> reference(type, matrix, 0, r, cols, x), "matvec_rows3_x8");
    }

    /**
     * silu(gate) · up quantized while staged. Java's exp and the device's expf differ by an ulp, which can
     * move one of the 14336 int8 values by one step (about 3e-4 of the product's norm), hence 1e-3 here
     * against 1e-5 where x is bit-identical; a wrong nibble or scale costs far more than that.
     */
    @ParameterizedTest
    @EnumSource(value = WeightType.class, names = {"Q4_0", "Q8_0", "Q4_K", "Q6_K"})
    void swiGluLaunchMatchesTheQuantizedReference(WeightType type) {
        checkSwiGlu(type, 333, 1024);
        checkSwiGlu(type, 4096, 14336);
    }

    private void checkSwiGlu(WeightType type, int rows, int cols) {
        float[] gate = RandomWeights.gaussian(cols, random);
        float[] up = RandomWeights.gaussian(cols, random);
        float[] h = new float[cols];
        for (int i = 0; i < cols; i++) {
            h[i] = gate[i] / (1.0f + (float) Math.exp(-gate[i])) * up[i];
        }
        byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
        double[] want = reference(type, matrix, 0, rows, cols, h);
        try (DeviceBuffer w = DeviceArrays.upload(cuda, matrix); DeviceBuffer g = DeviceArrays.upload(cuda, gate);
             DeviceBuffer u = DeviceArrays.upload(cuda, up); DeviceBuffer y = DeviceArrays.poisoned(cuda, rows)) {
            fused.launchSwiGlu(type, w, 0, rows, cols, g, u, y, stream);
            stream.synchronize();
            DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(y, rows), 1e-3,
                    "matvec_swiglu_x8 " + type + " " + rows + "x" + cols);
        }
    }

    /**
     * How far int8 x moves a product from float x, on Gaussian x: per 32, the rounding error is at most
     * d / 2 = max|x| / 254 per element, about 0.4 % of a product's norm, so the relative L2 distance to the
     * float product must stay under 1 %. (llama.cpp's CUDA decode makes the same trade.)
     */
    @ParameterizedTest
    @EnumSource(value = WeightType.class, names = {"Q4_0", "Q8_0", "Q4_K", "Q6_K"})
    void staysNearTheFloatProduct(WeightType type) {
        int rows = 2048;
        int cols = 4096;
        byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
        float[] x = RandomWeights.gaussian(cols, random);
        double[] exact = MatVecKernelTest.reference(ReferenceDequant.dequantize(type, matrix, 0, rows, cols), x, rows, cols);
        try (DeviceBuffer w = DeviceArrays.upload(cuda, matrix); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer y = DeviceArrays.poisoned(cuda, rows)) {
            matVec.launch(type, w, 0, rows, cols, dx, y, stream);
            stream.synchronize();
            double err = DeviceArrays.relativeError(exact, DeviceArrays.downloadFloats(y, rows), "matvec_x8 vs float");
            System.out.printf("matvec_x8 %s %dx%d: relative L2 distance to the float product %.2e%n", type, rows, cols, err);
            assertThat(err).as("%s: int8 x vs float x", type).isLessThan(1e-2).isGreaterThan(0.0);
        }
    }
}
