package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bulk-copy ring q4_K kernels ({@code matvec_ring.cu}, compute capability 9.0) against the register
 * super-block kernels at k-split 1, whose per-block arithmetic and summation order they keep: the products
 * must agree bit for bit (else the fused and unfused decode paths, or a hybrid layer, would drift apart), and
 * also stay within the reference's tolerance (integer x only: the ring is not used for float x). Shapes: the
 * 8B's (4096², 1024 x 4096, 4096 x 14336), rows that end inside a tile, a row whose last chunk holds fewer
 * than eight super-blocks (1536 columns) or fewer than four (512), more tiles than blocks (the ring wraps many
 * times), and grouped launches of three matrices.
 * Outputs are NaN-poisoned first.
 */
class RingMatVecKernelTest {
    private static Cuda cuda;
    private static CudaStream stream;
    private final Random random = new Random();

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        assumeTrue(cuda.computeCapability().atLeast(9, 0),
                "skipped: the bulk-copy ring kernels need compute capability 9.0, this GPU has " + cuda.computeCapability());
        stream = cuda.createStream();
    }

    @AfterAll
    static void tearDown() {
        if (stream != null) {
            stream.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MatVecInput.class, names = {"INT8", "INT16"})
    void ringMatchesTheRegisterKernelBitForBit(MatVecInput input) {
        try (MatVec ring = new MatVec(cuda, input, true); MatVec registers = new MatVec(cuda, input, false)) {
            int[][] shapes = {{4096, 4096}, {1024, 4096}, {4096, 14336}, {300, 1536}, {37, 512}, {20000, 2048}};
            for (int[] shape : shapes) {
                int rows = shape[0], cols = shape[1];
                byte[] matrix = RandomWeights.matrix(WeightType.Q4_K, rows, cols, random);
                byte[] padded = RandomWeights.atOffset(matrix, 4096, random);
                float[] x = RandomWeights.gaussian(cols, random);
                double[] want = reference(input, matrix, rows, cols, x);
                String what = "ring " + input + " " + rows + "x" + cols;
                try (DeviceBuffer w = DeviceArrays.upload(cuda, padded); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
                     DeviceBuffer yRing = DeviceArrays.poisoned(cuda, rows);
                     DeviceBuffer yRegisters = DeviceArrays.poisoned(cuda, rows)) {
                    ring.launch(WeightType.Q4_K, w, 4096, rows, cols, dx, yRing, stream);
                    MatVecShape base = registers.shape(WeightType.Q4_K, rows, cols);
                    registers.launch(WeightType.Q4_K, w, 4096, rows, cols, dx, yRegisters, stream,
                            new MatVecShape(base.grid(), base.sharedBytes(), 1));
                    stream.synchronize();
                    float[] got = DeviceArrays.downloadFloats(yRing, rows);
                    DeviceArrays.assertClose(want, got, 1e-5, what);
                    assertSameBits(DeviceArrays.downloadFloats(yRegisters, rows), got, what);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MatVecInput.class, names = {"INT8", "INT16"})
    void groupedRingMatchesTheGroupedRegisterKernelBitForBit(MatVecInput input) {
        try (FusedMatVec ring = new FusedMatVec(cuda, input, true); FusedMatVec registers = new FusedMatVec(cuda, input, false)) {
            checkGrouped(ring, registers, input, 512, new int[] {300, 64, 37});
            checkGrouped(ring, registers, input, 4096, new int[] {4096, 1024, 1024});
            checkGrouped(ring, registers, input, 4096, new int[] {14336, 14336});
        }
    }

    private void checkGrouped(FusedMatVec ring, FusedMatVec registers, MatVecInput input, int cols, int[] rows) {
        float[] x = RandomWeights.gaussian(cols, random);
        List<byte[]> matrices = new ArrayList<>();
        List<DeviceBuffer> buffers = new ArrayList<>();
        try (DeviceBuffer dx = DeviceArrays.upload(cuda, x)) {
            List<FusedMatVec.Part> ringParts = new ArrayList<>();
            List<FusedMatVec.Part> registerParts = new ArrayList<>();
            for (int r : rows) {
                byte[] m = RandomWeights.matrix(WeightType.Q4_K, r, cols, random);
                matrices.add(m);
                DeviceBuffer w = DeviceArrays.upload(cuda, m);
                DeviceBuffer y1 = DeviceArrays.poisoned(cuda, r);
                DeviceBuffer y2 = DeviceArrays.poisoned(cuda, r);
                buffers.addAll(List.of(w, y1, y2));
                ringParts.add(new FusedMatVec.Part(w, 0, r, y1));
                registerParts.add(new FusedMatVec.Part(w, 0, r, y2));
            }
            int total = 0;
            for (int r : rows) {
                total += r;
            }
            int split = registers.shape(WeightType.Q4_K, total, cols).kSplit();
            assertThat(split).as("the register launch compared must run at k-split 1").isEqualTo(1);
            ring.launch(WeightType.Q4_K, cols, dx, ringParts, stream);
            registers.launch(WeightType.Q4_K, cols, dx, registerParts, stream);
            stream.synchronize();
            for (int i = 0; i < rows.length; i++) {
                String what = "grouped ring " + input + " matrix " + i + " of " + rows.length + " (" + rows[i] + "x" + cols + ")";
                float[] got = DeviceArrays.downloadFloats(ringParts.get(i).y(), rows[i]);
                DeviceArrays.assertClose(reference(input, matrices.get(i), rows[i], cols, x), got, 1e-5, what);
                assertSameBits(DeviceArrays.downloadFloats(registerParts.get(i).y(), rows[i]), got, what);
            }
        } finally {
            buffers.forEach(DeviceBuffer::close);
        }
    }

    private static double[] reference(MatVecInput input, byte[] matrix, int rows, int cols, float[] x) {
        return IntegerXMatVecKernelTest.reference(input, WeightType.Q4_K, matrix, 0, rows, cols, x);
    }

    private static void assertSameBits(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                throw new AssertionError(what + ": row " + i + " is " + got[i] + ", the register kernel gives " + want[i]);
            }
        }
    }
}
