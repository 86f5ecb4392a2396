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

class MatMulKernelTest {
    private static Cuda cuda;
    private static MatMul matMul;
    private static CudaStream stream;
    private final Random random = new Random();

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        matMul = new MatMul(cuda);
        stream = cuda.createStream();
    }

    @AfterAll
    static void tearDown() {
        if (matMul != null) {
            stream.close();
            matMul.close();
        }
    }

    /**
     * Edge tiles in both directions (rows not a multiple of 128, tokens not of 64), more than one tile
     * each way, and for the 32-element formats a k that ends half-way through a 64-wide step; f16 operands,
     * float32 sums.
     */
    @ParameterizedTest
    @EnumSource(WeightType.class)
    void matchesScalarReference(WeightType type) {
        check(type, 130, 512, 37);
        check(type, 300, type.blockElements() == 256 ? 768 : 96, 70);
    }

    private void check(WeightType type, int rows, int cols, int tokens) {
        byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
        float[] w = ReferenceDequant.dequantize(type, matrix, 0, rows, cols);
        float[] x = RandomWeights.gaussian(tokens * cols, random);
        double[] want = new double[tokens * rows];
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double acc = 0;
                for (int k = 0; k < cols; k++) {
                    acc += (double) x[t * cols + k] * w[r * cols + k];
                }
                want[t * rows + r] = acc;
            }
        }
        try (DeviceBuffer dw = DeviceArrays.upload(cuda, matrix); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer y = DeviceArrays.poisoned(cuda, (long) tokens * rows)) {
            matMul.launch(type, dw, 0, rows, cols, dx, tokens, y, stream);
            stream.synchronize();
            DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(y, tokens * rows), 2e-3, "matmul " + type + " " + tokens + "x" + rows + "x" + cols);
        }
    }
}
