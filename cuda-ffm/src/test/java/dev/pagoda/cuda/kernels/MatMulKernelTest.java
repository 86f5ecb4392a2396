package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MatMulKernelTest {
    /** Floats past the output that must keep their poison: a store outside Y shows up here. */
    private static final int GUARD = 256;

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
     * The small tiling (128 x 64) on ragged shapes: one token, a batch that ends one past a tile, a
     * batch of 600, row counts that are not multiples of 128, several k steps and super-blocks; rows
     * whose blocks alternate between 4- and 2-byte alignment for the 2-byte-aligned formats (3 blocks
     * of 34, 18 or 210 bytes per row).
     */
    @ParameterizedTest
    @EnumSource(WeightType.class)
    void smallTilesMatchScalarReference(WeightType type) {
        int cols = type.blockElements() == 256 ? 768 : 96;
        for (int tokens : new int[]{1, 37, 65, 600}) {
            check(type, 130, cols, tokens, 0);
        }
        check(type, 300, cols, 2 + random.nextInt(127), 0);
        check(type, 1, cols, 3, 0);
    }

    /** The large tiling (128 x 128): a shape whose 128 x 128 grid gives every multiprocessor a block. */
    @ParameterizedTest
    @EnumSource(WeightType.class)
    void largeTilesMatchScalarReference(WeightType type) {
        int tokens = 515;
        int tokenTiles = (tokens + MatMul.TILE_TOKENS - 1) / MatMul.TILE_TOKENS;
        int rows = MatMul.TILE_ROWS * ((cuda.multiprocessorCount() + tokenTiles - 1) / tokenTiles) - 5;
        assertThat(matMul.tileTokens(rows, tokens)).isEqualTo(MatMul.TILE_TOKENS);
        check(type, rows, 256, tokens, 0);
    }

    /** Weights that start at the smallest offset the format allows, not at the buffer's start. */
    @ParameterizedTest
    @EnumSource(WeightType.class)
    void weightsAtAnOffset(WeightType type) {
        check(type, 70, type.blockElements() == 256 ? 512 : 160, 130, type.alignment());
    }

    /**
     * Relative L2 error allowed against a reference that rounds X and W to f16 as the kernel does. For
     * F16, BF16, Q8_0 and Q4_0 the kernel's f16 weight is exactly the rounded reference value (one
     * rounding of q * d), so only float32 accumulation order is left (~1e-6, up to ~1e-5 after
     * cancellation in a 3-output product): 2e-4. K-quants round the scale products d * sc and dmin * m
     * to f16 first (relative 2^-11 at most per sub-block, ~3e-4 rms, amplified where q * d * sc and
     * dmin * m cancel): 2e-3, the bound the backend's 0.99999 cosine also allows.
     */
    private static double tolerance(WeightType type) {
        return type.blockElements() == 256 ? 2e-3 : 2e-4;
    }

    private static float toHalfPrecision(float v) {
        return Float.float16ToFloat(Float.floatToFloat16(v));
    }

    private void check(WeightType type, int rows, int cols, int tokens, int offset) {
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
        byte[] placed = new byte[offset + matrix.length];
        random.nextBytes(placed);
        System.arraycopy(matrix, 0, placed, offset, matrix.length);
        String what = "matmul " + type + " " + tokens + "x" + rows + "x" + cols + " at offset " + offset;
        try (DeviceBuffer dw = DeviceArrays.upload(cuda, placed); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer dxHalf = cuda.allocate(MatMul.halfBytes(tokens, cols));
             DeviceBuffer y = DeviceArrays.poisoned(cuda, (long) tokens * rows + GUARD)) {
            matMul.toHalf(dx, tokens, cols, dxHalf, stream);
            matMul.launchHalf(type, dw, offset, rows, cols, dxHalf, tokens, y, stream);
            stream.synchronize();
            float[] out = DeviceArrays.downloadFloats(y, tokens * rows + GUARD);
            float[] got = Arrays.copyOf(out, tokens * rows);
            DeviceArrays.assertClose(want, got, tolerance(type), what);
            for (int i = tokens * rows; i < out.length; i++) {
                assertThat(Float.floatToRawIntBits(out[i])).as("%s: float %d past Y was written", what, i)
                        .isEqualTo(DeviceArrays.NAN_BITS);
            }
        }
    }
}
