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
     * Both tilings (128 x 64 and 128 x 128) on ragged shapes: one token, a batch that ends one past a
     * tile, a batch of 600, row counts that are not multiples of 128, several k steps and super-blocks;
     * rows whose blocks alternate between 4- and 2-byte alignment for the 2-byte-aligned formats (3
     * blocks of 34, 18 or 210 bytes per row); and the launch the public method picks.
     */
    @ParameterizedTest
    @EnumSource(WeightType.class)
    void bothTilingsMatchScalarReference(WeightType type) {
        int cols = type.blockElements() == 256 ? 768 : 96;
        for (int tileTokens : new int[] {MatMul.SMALL_TILE_TOKENS, MatMul.TILE_TOKENS}) {
            MatMul.Plan plan = new MatMul.Plan(tileTokens, 1);
            for (int tokens : new int[]{1, 37, 65, 600}) {
                check(type, 130, cols, tokens, 0, plan);
            }
            check(type, 300, cols, 2 + random.nextInt(127), 0, plan);
            // one row: 40 tokens rather than 3, since the relative L2 error of 3 random outputs swings with how
            // small all three happen to be (K-quants failed 2e-3 once on the H200 at 2.5e-3 with 3)
            check(type, 1, cols, 40, 0, plan);
        }
        check(type, 130, cols, 65, 0);
    }

    /** A grid that gives every multiprocessor a block of 128 x 128 (as the large matrices of a model do). */
    @ParameterizedTest
    @EnumSource(WeightType.class)
    void aFullGridMatchesScalarReference(WeightType type) {
        int tokens = 515;
        int tokenTiles = (tokens + MatMul.TILE_TOKENS - 1) / MatMul.TILE_TOKENS;
        int rows = MatMul.TILE_ROWS * ((cuda.multiprocessorCount() + tokenTiles - 1) / tokenTiles) - 5;
        assertThat(MatMul.tileTokens(tokens)).isEqualTo(MatMul.TILE_TOKENS);
        check(type, rows, 256, tokens, 0);
    }

    /** Weights that start at the smallest offset the format allows, not at the buffer's start. */
    @ParameterizedTest
    @EnumSource(WeightType.class)
    void weightsAtAnOffset(WeightType type) {
        check(type, 70, type.blockElements() == 256 ? 512 : 160, 130, type.alignment());
    }

    /**
     * Split-K: uneven splits (40 k steps as 16 + 16 + 8), two splits of the large tiling, the most splits
     * a shape allows, and the plan the launcher picks with a workspace for a k/v-projection-like shape
     * (few blocks, long rows); the partial sums go through a NaN-poisoned workspace.
     */
    @ParameterizedTest
    @EnumSource(WeightType.class)
    void kSplitsMatchScalarReference(WeightType type) {
        check(type, 130, 1280, 100, 0, new MatMul.Plan(MatMul.SMALL_TILE_TOKENS, 3));
        check(type, 200, 1280, 130, 0, new MatMul.Plan(MatMul.TILE_TOKENS, 2));
        check(type, 64, 256 * MatMul.MAX_SPLITS, 33, 0, new MatMul.Plan(MatMul.SMALL_TILE_TOKENS, MatMul.MAX_SPLITS));
        MatMul.Plan chosen = matMul.plan(type, 256, 4096, 300, true);
        assertThat(chosen.splits()).as("a 256 x 4096 product at 300 tokens is split").isGreaterThan(1);
        check(type, 256, 4096, 300, 0, chosen);
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
        check(type, rows, cols, tokens, offset, null);
    }

    // plan null: the public launch without a workspace (no k splits)
    private void check(WeightType type, int rows, int cols, int tokens, int offset, MatMul.Plan plan) {
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
        String what = "matmul " + type + " " + tokens + "x" + rows + "x" + cols + " at offset " + offset
                + (plan == null ? "" : " " + plan);
        try (DeviceBuffer dw = DeviceArrays.upload(cuda, placed); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer dxHalf = cuda.allocate(MatMul.halfBytes(tokens, cols));
             DeviceBuffer y = DeviceArrays.poisoned(cuda, (long) tokens * rows + GUARD);
             DeviceBuffer workspace = DeviceArrays.poisoned(cuda, MatMul.SPLIT_WORKSPACE_BYTES / Float.BYTES)) {
            matMul.toHalf(dx, tokens, cols, dxHalf, stream);
            if (plan == null) {
                matMul.launchHalf(type, dw, offset, rows, cols, dxHalf, tokens, y, stream);
            } else {
                matMul.launchHalf(type, dw, offset, rows, cols, dxHalf, tokens, y, workspace, plan, stream);
            }
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
