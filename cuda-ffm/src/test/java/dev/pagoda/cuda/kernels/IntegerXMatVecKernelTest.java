package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The integer-x decode kernels, int8 ({@link MatVecInput#INT8}: {@code matvec_x8_*}, {@code matvec_rows3_x8_*},
 * {@code matvec_swiglu_x8_*}) and 16-bit as two int8 levels ({@link MatVecInput#INT16}: {@code *_x16_*}),
 * against a scalar reference that quantizes x exactly as the kernels do (the same float operations, so the
 * same integers) and sums w x̂ in double, into NaN-poisoned outputs (every offset and minimum term of the
 * kernels runs on the quantized x too). A last check bounds how far each moves a product from float x.
 */
class IntegerXMatVecKernelTest {
    private static final MatVecInput[] INPUTS = {MatVecInput.INT8, MatVecInput.INT16};
    private static final WeightType[] TYPES = {WeightType.Q4_0, WeightType.Q8_0, WeightType.Q4_K, WeightType.Q6_K};
    private static Cuda cuda;
    private static CudaStream stream;
    private static final Map<MatVecInput, MatVec> matVecs = new EnumMap<>(MatVecInput.class);
    private static final Map<MatVecInput, FusedMatVec> fuseds = new EnumMap<>(MatVecInput.class);
    private final Random random = new Random();

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        stream = cuda.createStream();
        for (MatVecInput input : INPUTS) {
            matVecs.put(input, new MatVec(cuda, input));
            fuseds.put(input, new FusedMatVec(cuda, input));
        }
    }

    @AfterAll
    static void tearDown() {
        fuseds.values().forEach(FusedMatVec::close);
        matVecs.values().forEach(MatVec::close);
        fuseds.clear();
        matVecs.clear();
        if (stream != null) {
            stream.close();
        }
    }

    static Stream<Arguments> inputsAndTypes() {
        return Stream.of(INPUTS).flatMap(input -> Stream.of(TYPES).map(type -> Arguments.of(input, type)));
    }

    /**
     * x as the kernels see it: per aligned 32, d = max|x| / qmax and q = x · (qmax / max|x|) rounded to even,
     * qmax 127 for int8 and 32639 for 16 bits (matvec_x8_stage.cuh).
     */
    static double[] quantized(MatVecInput input, float[] x) {
        float qmax = input == MatVecInput.INT8 ? 127.0f : 32639.0f;
        double[] out = new double[x.length];
        for (int b = 0; b < x.length; b += 32) {
            float amax = 0;
            for (int k = b; k < b + 32; k++) {
                amax = Math.max(amax, Math.abs(x[k]));
            }
            float d = amax / qmax;
            float id = amax > 0 ? qmax / amax : 0.0f;
            for (int k = b; k < b + 32; k++) {
                float q = Math.fma(x[k], id, 12582912.0f) - 12582912.0f;
                out[k] = (double) d * q;
            }
        }
        return out;
    }

    /** y = sum w x̂: the integer-x product of the kernels. */
    static double[] reference(MatVecInput input, WeightType type, byte[] matrix, int offset, int rows, int cols,
                              float[] x) {
        return MatVecKernelTest.reference(ReferenceDequant.dequantize(type, matrix, offset, rows, cols),
                quantized(input, x), rows, cols);
    }

    /**
     * The grid-stride loop (more rows than warps), offsets that put q8_0 / q4_0 / q6_K blocks at both word
     * alignments, the 8B shapes where rows are split over warps, and q4_K's odd-step pipelines.
     */
    @ParameterizedTest
    @MethodSource("inputsAndTypes")
    void plainLaunchMatchesTheQuantizedReference(MatVecInput input, WeightType type) {
        check(input, type, 4500, 512, 0);
        check(input, type, 37, 2048, type.alignment() == 16 ? 4096 : 2 * 1234);
        check(input, type, 129, 2816, type.alignment() == 16 ? 0 : 2);
        check(input, type, 1024, 4096, 0);
        check(input, type, 4096, 14336, 0);
        if (type == WeightType.Q4_K) {
            check(input, type, 4500, 3072, 0);
        }
    }

    private void check(MatVecInput input, WeightType type, int rows, int cols, int offset) {
        byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
        byte[] padded = RandomWeights.atOffset(matrix, offset, random);
        float[] x = RandomWeights.gaussian(cols, random);
        x[7] = 0;
        java.util.Arrays.fill(x, 32, 64, 0.0f);  // a unit of zeros: scale 0
        double[] want = reference(input, type, matrix, 0, rows, cols, x);
        try (DeviceBuffer w = DeviceArrays.upload(cuda, padded); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer y = DeviceArrays.poisoned(cuda, rows)) {
            matVecs.get(input).launch(type, w, offset, rows, cols, dx, y, stream);
            stream.synchronize();
            DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(y, rows), 1e-5,
                    "matvec " + input + " " + type + " " + rows + "x" + cols + " at offset " + offset);
        }
    }

    @ParameterizedTest
    @MethodSource("inputsAndTypes")
    void groupedLaunchMatchesEachMatrix(MatVecInput input, WeightType type) {
        checkGrouped(input, type, 512, new int[] {300, 64, 37});
        checkGrouped(input, type, 4096, new int[] {512, 128, 128});
    }

    private void checkGrouped(MatVecInput input, WeightType type, int cols, int[] rows) {
        FusedDecodeKernelTest.checkGrouped(cuda, stream, fuseds.get(input), random, type, cols, rows,
                (matrix, r, x) -> reference(input, type, matrix, 0, r, cols, x), "matvec_rows3 " + input);
    }

    /**
     * silu(gate) · up quantized while staged. Java's exp and the device's expf differ by an ulp, which can
     * move one of the 14336 int8 values by one step (about 3e-4 of the product's norm), hence 1e-3 here
     * against 1e-5 where x is bit-identical (1e-4 for 16-bit x, whose steps are 257 times smaller); a wrong
     * nibble or scale costs far more than that.
     */
    @ParameterizedTest
    @MethodSource("inputsAndTypes")
    void swiGluLaunchMatchesTheQuantizedReference(MatVecInput input, WeightType type) {
        checkSwiGlu(input, type, 333, 1024);
        checkSwiGlu(input, type, 4096, 14336);
    }

    private void checkSwiGlu(MatVecInput input, WeightType type, int rows, int cols) {
        float[] gate = RandomWeights.gaussian(cols, random);
        float[] up = RandomWeights.gaussian(cols, random);
        float[] h = new float[cols];
        for (int i = 0; i < cols; i++) {
            h[i] = gate[i] / (1.0f + (float) Math.exp(-gate[i])) * up[i];
        }
        byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
        double[] want = reference(input, type, matrix, 0, rows, cols, h);
        try (DeviceBuffer w = DeviceArrays.upload(cuda, matrix); DeviceBuffer g = DeviceArrays.upload(cuda, gate);
             DeviceBuffer u = DeviceArrays.upload(cuda, up); DeviceBuffer y = DeviceArrays.poisoned(cuda, rows)) {
            fuseds.get(input).launchSwiGlu(type, w, 0, rows, cols, g, u, y, stream);
            stream.synchronize();
            DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(y, rows), input == MatVecInput.INT8 ? 1e-3 : 1e-4,
                    "matvec_swiglu " + input + " " + type + " " + rows + "x" + cols);
        }
    }

    /**
     * How far integer x moves a product from float x, on Gaussian x: per 32, the rounding error is at most
     * d / 2 = max|x| / 254 per element for int8, about 0.4 % of a product's norm, so the relative L2
     * distance to the float product must stay under 1 % (llama.cpp's CUDA decode makes the same trade);
     * max|x| / 65278 for 16-bit x, under 1e-4.
     */
    @ParameterizedTest
    @MethodSource("inputsAndTypes")
    void staysNearTheFloatProduct(MatVecInput input, WeightType type) {
        int rows = 2048;
        int cols = 4096;
        byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
        float[] x = RandomWeights.gaussian(cols, random);
        double[] exact = MatVecKernelTest.reference(ReferenceDequant.dequantize(type, matrix, 0, rows, cols), x, rows, cols);
        try (DeviceBuffer w = DeviceArrays.upload(cuda, matrix); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer y = DeviceArrays.poisoned(cuda, rows)) {
            matVecs.get(input).launch(type, w, 0, rows, cols, dx, y, stream);
            stream.synchronize();
            double err = DeviceArrays.relativeError(exact, DeviceArrays.downloadFloats(y, rows), "matvec " + input + " vs float");
            System.out.printf("matvec %s %s %dx%d: relative L2 distance to the float product %.2e%n", input, type, rows,
                    cols, err);
            assertThat(err).as("%s %s x vs float x", type, input).isLessThan(input == MatVecInput.INT8 ? 1e-2 : 1e-4)
                    .isGreaterThan(0.0);
        }
    }
}
