package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bulk-copy ring q4_K and q6_K kernels ({@code matvec_ring.cu}, compute capability 9.0) against the register
 * kernels at k-split 1 (q4_K's super-block kernel, q6_K's integer-x unit kernel), whose per-block arithmetic and
 * summation order they keep: the products
 * must agree bit for bit (else the fused and unfused decode paths, or a hybrid layer, would drift apart), and
 * also stay within the reference's tolerance (integer x only: the ring is not used for float x). Shapes: the
 * 8B's (4096², 1024 x 4096, 4096 x 14336), rows that end inside a tile, q4_K rows whose last chunk holds fewer
 * than eight super-blocks (1536 columns) or fewer than four (512), more tiles than blocks (the ring wraps many
 * times), grouped launches of three matrices, and q4_K matrices with a q6_K one in a single launch (against
 * their own ring launches), and the ring with its requests in flight capped (RingAhead) against it uncapped.
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

    static Stream<Arguments> inputsAndTypes() {
        return Stream.of(MatVecInput.INT8, MatVecInput.INT16)
                .flatMap(input -> Stream.of(WeightType.Q4_K, WeightType.Q6_K).map(type -> Arguments.of(input, type)));
    }

    @ParameterizedTest
    @MethodSource("inputsAndTypes")
    void ringMatchesTheRegisterKernelBitForBit(MatVecInput input, WeightType type) {
        try (MatVec ring = new MatVec(cuda, input, true); MatVec registers = new MatVec(cuda, input, false)) {
            // q6_K rows must hold whole chunks of 8 blocks (2048 columns); q4_K also takes a partial last chunk
            int[][] shapes = type == WeightType.Q4_K
                    ? new int[][] {{4096, 4096}, {1024, 4096}, {4096, 14336}, {300, 1536}, {37, 512}, {20000, 2048}}
                    : new int[][] {{4096, 4096}, {1024, 4096}, {4096, 14336}, {300, 6144}, {37, 2048}, {20000, 2048}};
            for (int[] shape : shapes) {
                int rows = shape[0], cols = shape[1];
                assertThat(ring.ringCovers(type, cols, 4096)).as("%s %d columns run on the ring", type, cols).isTrue();
                byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
                byte[] padded = RandomWeights.atOffset(matrix, 4096, random);
                float[] x = RandomWeights.gaussian(cols, random);
                double[] want = reference(input, type, matrix, rows, cols, x);
                String what = "ring " + input + " " + type + " " + rows + "x" + cols;
                try (DeviceBuffer w = DeviceArrays.upload(cuda, padded); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
                     DeviceBuffer yRing = DeviceArrays.poisoned(cuda, rows);
                     DeviceBuffer yRegisters = DeviceArrays.poisoned(cuda, rows)) {
                    ring.launch(type, w, 4096, rows, cols, dx, yRing, stream);
                    MatVecShape base = registers.shape(type, rows, cols);
                    registers.launch(type, w, 4096, rows, cols, dx, yRegisters, stream,
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
    @MethodSource("inputsAndTypes")
    void groupedRingMatchesTheGroupedRegisterKernelBitForBit(MatVecInput input, WeightType type) {
        try (FusedMatVec ring = new FusedMatVec(cuda, input, true); FusedMatVec registers = new FusedMatVec(cuda, input, false)) {
            checkGrouped(ring, registers, input, type, type == WeightType.Q4_K ? 512 : 2048, new int[] {300, 64, 37});
            checkGrouped(ring, registers, input, type, 4096, new int[] {4096, 1024, 1024});
            assertThat(checkGrouped(ring, registers, input, type, 4096, new int[] {14336, 14336}))
                    .as("the gate/up-sized group compares bits").isTrue();
        }
    }

    // true when the bits were compared too
    private boolean checkGrouped(FusedMatVec ring, FusedMatVec registers, MatVecInput input, WeightType type, int cols,
                                 int[] rows) {
        float[] x = RandomWeights.gaussian(cols, random);
        List<byte[]> matrices = new ArrayList<>();
        List<DeviceBuffer> buffers = new ArrayList<>();
        try (DeviceBuffer dx = DeviceArrays.upload(cuda, x)) {
            List<FusedMatVec.Part> ringParts = new ArrayList<>();
            List<FusedMatVec.Part> registerParts = new ArrayList<>();
            for (int r : rows) {
                byte[] m = RandomWeights.matrix(type, r, cols, random);
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
            // the grouped register launch picks its own k-split: bits are compared where it is 1 (q4_K here, and the
            // q6_K gate/up-sized group), the reference everywhere
            boolean sameOrder = registers.shape(type, total, cols).kSplit() == 1;
            assertThat(sameOrder || type == WeightType.Q6_K).as("q4_K groups here run at k-split 1").isTrue();
            ring.launch(type, cols, dx, ringParts, stream);
            registers.launch(type, cols, dx, registerParts, stream);
            stream.synchronize();
            for (int i = 0; i < rows.length; i++) {
                String what = "grouped ring " + input + " " + type + " matrix " + i + " of " + rows.length + " (" + rows[i] + "x" + cols + ")";
                float[] got = DeviceArrays.downloadFloats(ringParts.get(i).y(), rows[i]);
                DeviceArrays.assertClose(reference(input, type, matrices.get(i), rows[i], cols, x), got, 1e-5, what);
                if (sameOrder) {
                    assertSameBits(DeviceArrays.downloadFloats(registerParts.get(i).y(), rows[i]), got, what);
                }
            }
            return sameOrder;
        } finally {
            buffers.forEach(DeviceBuffer::close);
        }
    }

    static Stream<MatVecInput> integerInputs() {
        return Stream.of(MatVecInput.INT8, MatVecInput.INT16);
    }

    @ParameterizedTest
    @MethodSource("integerInputs")
    void q6kAfterQ4kInOneLaunchMatchesTheirOwnLaunchesBitForBit(MatVecInput input) {
        try (FusedMatVec ring = new FusedMatVec(cuda, input, true)) {
            checkQ4kThenQ6k(ring, input, 2048, new int[] {300, 64}, 37);
            checkQ4kThenQ6k(ring, input, 4096, new int[] {4096, 1024}, 1024);  // the 8B's q, k and v
            checkQ4kThenQ6k(ring, input, 14336, new int[] {20}, 4096);  // more q6_K tiles than q4_K ones
        }
    }

    private void checkQ4kThenQ6k(FusedMatVec ring, MatVecInput input, int cols, int[] q4kRows, int q6kRows) {
        float[] x = RandomWeights.gaussian(cols, random);
        List<DeviceBuffer> buffers = new ArrayList<>();
        try (DeviceBuffer dx = DeviceArrays.upload(cuda, x); RingTrace trace = RingTrace.open(cuda, 1)) {
            List<FusedMatVec.Part> together = new ArrayList<>();
            List<FusedMatVec.Part> apart = new ArrayList<>();
            List<byte[]> matrices = new ArrayList<>();
            int total = 0;
            for (int i = 0; i <= q4kRows.length; i++) {
                boolean q6k = i == q4kRows.length;
                int rows = q6k ? q6kRows : q4kRows[i];
                byte[] m = RandomWeights.matrix(q6k ? WeightType.Q6_K : WeightType.Q4_K, rows, cols, random);
                matrices.add(m);
                DeviceBuffer w = DeviceArrays.upload(cuda, m);
                DeviceBuffer y1 = DeviceArrays.poisoned(cuda, rows);
                DeviceBuffer y2 = DeviceArrays.poisoned(cuda, rows);
                buffers.addAll(List.of(w, y1, y2));
                together.add(new FusedMatVec.Part(w, 0, rows, y1));
                apart.add(new FusedMatVec.Part(w, 0, rows, y2));
                total += rows;
            }
            int last = q4kRows.length;
            trace.clear();
            ring.traceRing(trace);
            ring.launchQ4kThenQ6k(cols, dx, together.subList(0, last), together.get(last), stream);
            ring.traceRing(null);
            ring.launch(WeightType.Q4_K, cols, dx, apart.subList(0, last), stream);
            ring.launch(WeightType.Q6_K, cols, dx, List.of(apart.get(last)), stream);
            stream.synchronize();
            assertThat(trace.read()).singleElement().satisfies(t -> assertThat(t.launch().formats()).isEqualTo("Q4_K+Q6_K"));
            for (int i = 0; i <= last; i++) {
                WeightType type = i == last ? WeightType.Q6_K : WeightType.Q4_K;
                int rows = together.get(i).rows();
                String what = "q4_K then q6_K " + input + ", " + type + " matrix " + i + " (" + rows + "x" + cols + " of "
                        + total + " rows)";
                float[] got = DeviceArrays.downloadFloats(together.get(i).y(), rows);
                DeviceArrays.assertClose(reference(input, type, matrices.get(i), rows, cols, x), got, 1e-5, what);
                assertSameBits(DeviceArrays.downloadFloats(apart.get(i).y(), rows), got, what);
            }
        } finally {
            buffers.forEach(DeviceBuffer::close);
        }
    }

    @ParameterizedTest
    @MethodSource("inputsAndTypes")
    void cappedRequestsInFlightGiveTheSameBits(MatVecInput input, WeightType type) {
        // one request ahead (each waits for the one before to arrive), two, and one short of the ring: plain and
        // grouped launches, one tile per block (4096 x 14336) and many (20000 x 2048, the ring wrapping)
        int[][] shapes = {{4096, 14336}, {20000, 2048}, {300, 6144}};
        for (int requests : new int[] {1, 2, 4}) {
            RingAhead ahead = new RingAhead(requests, 0);
            try (MatVec capped = new MatVec(cuda, input, true, ahead); MatVec free = new MatVec(cuda, input, true, RingAhead.UNCAPPED);
                 FusedMatVec cappedGroups = new FusedMatVec(cuda, input, true, ahead)) {
                assertSameProducts(capped, cappedGroups, free, input, type, shapes, requests + " requests ahead");
                checkQ4kThenQ6k(cappedGroups, input, 14336, new int[] {20}, 4096);
            }
        }
    }

    // the products of `tried` and of its grouped launches `triedGroups` on fresh matrices of each shape: within 1e-5
    // of the reference and bit for bit those of `baseline`
    private void assertSameProducts(MatVec tried, FusedMatVec triedGroups, MatVec baseline, MatVecInput input,
                                    WeightType type, int[][] shapes, String variant) {
        for (int[] shape : shapes) {
            int rows = shape[0], cols = shape[1];
            byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
            float[] x = RandomWeights.gaussian(cols, random);
            String what = "ring " + input + " " + type + " " + rows + "x" + cols + ", " + variant;
            try (DeviceBuffer w = DeviceArrays.upload(cuda, matrix); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
                 DeviceBuffer yTried = DeviceArrays.poisoned(cuda, rows); DeviceBuffer yBase = DeviceArrays.poisoned(cuda, rows);
                 DeviceBuffer yGroup = DeviceArrays.poisoned(cuda, rows)) {
                tried.launch(type, w, 0, rows, cols, dx, yTried, stream);
                baseline.launch(type, w, 0, rows, cols, dx, yBase, stream);
                triedGroups.launch(type, cols, dx, List.of(new FusedMatVec.Part(w, 0, rows, yGroup)), stream);
                stream.synchronize();
                float[] got = DeviceArrays.downloadFloats(yTried, rows);
                DeviceArrays.assertClose(reference(input, type, matrix, rows, cols, x), got, 1e-5, what);
                assertSameBits(DeviceArrays.downloadFloats(yBase, rows), got, what);
                assertSameBits(got, DeviceArrays.downloadFloats(yGroup, rows), what + " (grouped launch)");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("inputsAndTypes")
    void stagingTwoRecordsOfXPerThreadGivesTheSameBits(MatVecInput input, WeightType type) {
        // rows of more records than a ring block has threads (14336 and 28672 columns: one and two passes of
        // pairs, some second records missing) and of fewer (4096: the one-record loop), plain and grouped
        String before = System.getProperty(RingMatVec.STAGE_PAIRS_PROPERTY);
        System.setProperty(RingMatVec.STAGE_PAIRS_PROPERTY, "true");
        MatVec pairs;
        FusedMatVec pairGroups;
        try {
            pairs = new MatVec(cuda, input, true, RingAhead.UNCAPPED);
            pairGroups = new FusedMatVec(cuda, input, true, RingAhead.UNCAPPED);
        } finally {
            if (before == null) {
                System.clearProperty(RingMatVec.STAGE_PAIRS_PROPERTY);
            } else {
                System.setProperty(RingMatVec.STAGE_PAIRS_PROPERTY, before);
            }
        }
        try (pairs; pairGroups; MatVec single = new MatVec(cuda, input, true, RingAhead.UNCAPPED)) {
            assertSameProducts(pairs, pairGroups, single, input, type, new int[][] {{4096, 14336}, {1024, 28672}, {300, 4096}},
                    "x staged in pairs");
            checkQ4kThenQ6k(pairGroups, input, 14336, new int[] {20}, 4096);
        }
    }

    @Test
    void tracedLaunchesStampTheirTimesInOrderAndKeepTheirProducts() {
        int rows = 4096, cols = 4096;
        WeightType type = WeightType.Q4_K;
        byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
        float[] x = RandomWeights.gaussian(cols, random);
        try (MatVec ring = new MatVec(cuda, MatVecInput.INT16, true); RingTrace trace = RingTrace.open(cuda, 2);
             DeviceBuffer w = DeviceArrays.upload(cuda, matrix); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer plain = DeviceArrays.poisoned(cuda, rows); DeviceBuffer traced = DeviceArrays.poisoned(cuda, rows)) {
            ring.launch(type, w, 0, rows, cols, dx, plain, stream);
            trace.clear();
            ring.traceRing(trace);
            ring.launch(type, w, 0, rows, cols, dx, traced, stream);
            ring.launch(type, w, 0, rows, cols, dx, traced, stream);
            ring.traceRing(null);
            ring.launch(type, w, 0, rows, cols, dx, traced, stream);  // no longer traced: would need a third slot
            stream.synchronize();
            assertSameBits(DeviceArrays.downloadFloats(plain, rows), DeviceArrays.downloadFloats(traced, rows), "traced launch");
            List<RingTrace.Times> times = trace.read();
            assertThat(times).hasSize(2);
            for (RingTrace.Times t : times) {
                assertThat(t.launch()).isEqualTo(new RingTrace.Launch(type.toString(), rows, cols, (long) rows * type.rowBytes(cols)));
                assertThat(t.firstResident()).isPositive().isLessThanOrEqualTo(t.block0Resident());
                assertThat(t.block0Resident()).isLessThanOrEqualTo(t.waited());
                assertThat(t.waited()).isLessThanOrEqualTo(t.block0Staged());
                assertThat(t.block0Staged()).isLessThanOrEqualTo(t.block0FirstChunk());
                assertThat(t.block0FirstChunk()).isLessThanOrEqualTo(t.block0End());
                assertThat(t.block0End()).isLessThanOrEqualTo(t.end());
                assertThat(t.end() - t.firstResident()).as("a 9.4 MB launch lasts under a millisecond").isLessThan(1_000_000);
            }
            assertThat(times.get(1).waited()).as("the second launch waits for the first").isGreaterThanOrEqualTo(times.get(0).end());
        }
    }

    private static double[] reference(MatVecInput input, WeightType type, byte[] matrix, int rows, int cols, float[] x) {
        return IntegerXMatVecKernelTest.reference(input, type, matrix, 0, rows, cols, x);
    }

    private static void assertSameBits(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                throw new AssertionError(what + ": row " + i + " is " + got[i] + ", the launch it is held to gives " + want[i]);
            }
        }
    }
}
