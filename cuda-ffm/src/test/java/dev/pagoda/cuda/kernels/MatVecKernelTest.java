package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaGraph;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MatVecKernelTest {
    private static Cuda cuda;
    private static MatVec matVec;
    private static CudaStream stream;
    private final Random random = new Random();

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        matVec = new MatVec(cuda);
        stream = cuda.createStream();
    }

    @AfterAll
    static void tearDown() {
        if (matVec != null) {
            stream.close();
            matVec.close();
        }
    }

    static double[] reference(float[] w, float[] x, int rows, int cols) {
        double[] wide = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            wide[k] = x[k];
        }
        return reference(w, wide, rows, cols);
    }

    /** y = W x in double: W's float weights, x as given (IntegerXMatVecKernelTest passes the quantized x̂). */
    static double[] reference(float[] w, double[] x, int rows, int cols) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double acc = 0;
            for (int k = 0; k < cols; k++) {
                acc += (double) w[r * cols + k] * x[k];
            }
            y[r] = acc;
        }
        return y;
    }

    /** Many rows (more than the grid holds warps, so the grid-stride loop runs) and an offset into the buffer. */
    @ParameterizedTest
    @EnumSource(WeightType.class)
    void matchesScalarReference(WeightType type) {
        check(type, 4500, 512, 0);
        check(type, 37, 2048, type.alignment() == 16 ? 4096 : 2 * 1234);
    }

    private void check(WeightType type, int rows, int cols, int offset) {
        byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
        byte[] padded = RandomWeights.atOffset(matrix, offset, random);
        float[] x = RandomWeights.gaussian(cols, random);
        double[] want = reference(ReferenceDequant.dequantize(type, matrix, 0, rows, cols), x, rows, cols);
        try (DeviceBuffer w = DeviceArrays.upload(cuda, padded); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer y = DeviceArrays.poisoned(cuda, rows)) {
            matVec.launch(type, w, offset, rows, cols, dx, y, stream);
            stream.synchronize();
            DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(y, rows), 1e-5,
                    "matvec " + type + " " + rows + "x" + cols + " at offset " + offset);
        }
    }

    /**
     * Llama-3.1-8B k/v and q shapes, where the super-block kernel splits each row's blocks over 4 or 2 warps,
     * and a row count that leaves the last row group half full. For q6_K, whose 210-byte blocks start at
     * every even offset mod 4: rows of an odd number of blocks (2816 columns) and a matrix 2 bytes past an
     * aligned address, so the unit kernel's word loads see both alignments at the first and last block.
     * q6_K also splits rows over 2, 4 or 8 warps on these shapes (MatVecShape.unitKSplit), one slice of
     * the 2816-column rows left without a chunk.
     */
    @ParameterizedTest
    @EnumSource(value = WeightType.class, names = {"Q4_K", "Q8_0", "Q6_K"})
    void matchesScalarReferenceOnSplitShapes(WeightType type) {
        check(type, 1024, 4096, 0);
        check(type, 4095, 1024, 0);
        check(type, 333, 2816, 0);
        if (type == WeightType.Q6_K) {
            check(type, 129, 2816, 2);
            check(type, 64, 14336, 2);
            // ffn_down: two warps per row over several grid passes, the last one part full.
            check(type, 4096, 14336, 0);
        }
        if (type == WeightType.Q4_K) {
            // One warp per row group, three steps each: the pipelined loop ends on its odd step.
            check(type, 4500, 3072, 0);
        }
    }

    @Test
    void aCapturedGraphReplaysTheLaunch() {
        int rows = 300;
        int cols = 1024;
        byte[] matrix = RandomWeights.matrix(WeightType.Q4_K, rows, cols, random);
        float[] x = RandomWeights.gaussian(cols, random);
        double[] want = reference(ReferenceDequant.dequantize(WeightType.Q4_K, matrix, 0, rows, cols), x, rows, cols);
        try (DeviceBuffer w = DeviceArrays.upload(cuda, matrix); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer y = DeviceArrays.poisoned(cuda, rows)) {
            stream.beginCapture();
            matVec.launch(WeightType.Q4_K, w, 0, rows, cols, dx, y, stream);
            try (CudaGraph graph = stream.endCapture()) {
                stream.synchronize();
                graph.launch(stream);
                stream.synchronize();
                DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(y, rows), 1e-5, "graph replay of matvec q4_K");
            }
        }
    }

    @Test
    void badShapesAreRejectedInJava() {
        try (DeviceBuffer w = cuda.allocate(1024); DeviceBuffer x = cuda.allocate(1024); DeviceBuffer y = cuda.allocate(1024)) {
            assertThatThrownBy(() -> matVec.launch(WeightType.Q4_K, w, 0, 1, 100, x, y, stream))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 256");
            assertThatThrownBy(() -> matVec.launch(WeightType.Q8_0, w, 0, 100, 256, x, y, stream))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight matrix");
            assertThatThrownBy(() -> matVec.launch(WeightType.F16, w, 2, 1, 256, x, y, stream))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 16");
        }
    }
}
