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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

    /**
     * The q/k/v launch that rotates q and k and stores k and v into the caches as it writes them (decode round 29)
     * against the ring launch and RopeKvStore after it: y and both caches bit for bit. The 8B's shape with Llama 3.1's
     * frequency divisors, a small one without, and a position past the caches' rows (nothing written there).
     */
    @ParameterizedTest
    @MethodSource("inputsAndTypes")  // the type is v's
    void qkvLaunchStoringTheCacheMatchesTheRingAndRopeKvStoreBitForBit(MatVecInput input, WeightType vType) {
        String previous = System.setProperty(FusedMatVec.QKV_CACHE_PROPERTY, "true");
        try (FusedMatVec ring = new FusedMatVec(cuda, input, true); RopeKvStore ropeKvStore = new RopeKvStore(cuda)) {
            checkQkvCache(ring, ropeKvStore, input, vType, 4096, 4096, 1024, 128, 37, 64, true);
            checkQkvCache(ring, ropeKvStore, input, vType, 2048, 512, 128, 64, 5, 8, false);
            checkQkvCache(ring, ropeKvStore, input, vType, 2048, 512, 128, 64, 8, 8, true);
        } finally {
            SystemProperties.restore(FusedMatVec.QKV_CACHE_PROPERTY, previous);
        }
    }

    private void checkQkvCache(FusedMatVec ring, RopeKvStore ropeKvStore, MatVecInput input, WeightType vType, int cols,
                               int qRows, int kvRows, int headDim, int position, int capacity, boolean divisors) {
        String what = "q/k/v + cache " + input + ", v " + vType + ", " + cols + " columns, q " + qRows + " kv " + kvRows
                + " rows, head " + headDim + ", position " + position + " of " + capacity;
        float[] x = RandomWeights.gaussian(cols, random);
        float[] factors = new float[headDim / 2];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = 1 + random.nextFloat() * 7;
        }
        int[] rows = {qRows, kvRows, kvRows};
        List<DeviceBuffer> buffers = new ArrayList<>();
        try (DeviceBuffer dx = DeviceArrays.upload(cuda, x); DeviceBuffer positions = DeviceArrays.upload(cuda, new int[] {position});
             DeviceBuffer dFactors = DeviceArrays.upload(cuda, factors)) {
            List<FusedMatVec.Part> fused = new ArrayList<>();
            List<FusedMatVec.Part> apart = new ArrayList<>();
            qkvMatrices(vType, rows, cols, buffers, fused, apart);
            DeviceBuffer[] caches = poisonedCaches(capacity, kvRows, buffers);
            DeviceBuffer f = divisors ? dFactors : null;
            TokenCache cache = new TokenCache(caches[0], caches[1], positions, f, headDim, 500000f, capacity);
            assertThat(ring.coversQkvCache(cols, headDim, false, WeightType.Q4_K, fused.get(0), fused.get(1), vType, fused.get(2)))
                    .as(what).isTrue();
            ring.launchQkvCache(cols, dx, fused.get(0), fused.get(1), vType, fused.get(2), cache, stream);
            if (vType == WeightType.Q4_K) {
                ring.launch(WeightType.Q4_K, cols, dx, apart, stream);
            } else {
                ring.launchQ4kThenQ6k(cols, dx, apart.subList(0, 2), apart.get(2), stream);
            }
            ropeKvStore.launch(apart.get(0).y(), apart.get(1).y(), apart.get(2).y(), caches[2], caches[3], positions, f, 1,
                    qRows / headDim, kvRows / headDim, headDim, kvRows, 500000f, capacity, stream);
            stream.synchronize();
            for (int i = 0; i < 3; i++) {
                assertSameBits(DeviceArrays.downloadFloats(apart.get(i).y(), rows[i]),
                        DeviceArrays.downloadFloats(fused.get(i).y(), rows[i]), what + ", y of matrix " + i);
            }
            int cacheFloats = capacity * kvRows / 2;
            assertSameBits(DeviceArrays.downloadFloats(caches[2], cacheFloats), DeviceArrays.downloadFloats(caches[0], cacheFloats),
                    what + ", key cache");
            assertSameBits(DeviceArrays.downloadFloats(caches[3], cacheFloats), DeviceArrays.downloadFloats(caches[1], cacheFloats),
                    what + ", value cache");
            // the token's rows were written (finite halves) when it has one, and nothing was written when not
            float[] keys = DeviceArrays.downloadFloats(caches[0], cacheFloats);
            for (int row = 0; row < capacity; row++) {
                for (int i = row * kvRows / 2; i < (row + 1) * kvRows / 2; i++) {
                    boolean poisoned = Float.floatToRawIntBits(keys[i]) == DeviceArrays.NAN_BITS;
                    assertThat(poisoned).as(what + ", key cache row " + row + " word " + i).isEqualTo(row != position);
                }
            }
        } finally {
            buffers.forEach(DeviceBuffer::close);
        }
    }

    /**
     * Launches that compute the RMSNorm of x + add as they stage x (decode round 30) against add_rmsnorm (or rmsnorm,
     * without add) and the plain launch after it: y and the written sum bit for bit, for one format's matrices, q4_K
     * matrices with a q6_K one, and the q/k/v launch that stores the cache; the norm computed by every block or
     * before the launch into x's records (NormedX.records, norm_records.cu; records poisoned first).
     */
    @ParameterizedTest
    @MethodSource("integerInputs")
    void normedLaunchesMatchAddRmsNormAndThePlainLaunchBitForBit(MatVecInput input) {
        String cacheWas = System.setProperty(FusedMatVec.QKV_CACHE_PROPERTY, "true");
        String normWas = System.setProperty(FusedMatVec.NORM_STAGING_PROPERTY, "true");
        try (FusedMatVec ring = new FusedMatVec(cuda, input, true); AddRmsNorm addRmsNorm = new AddRmsNorm(cuda);
             RmsNorm rmsNorm = new RmsNorm(cuda); RopeKvStore ropeKvStore = new RopeKvStore(cuda)) {
            for (int cols : new int[] {4096, 8192, 6144, 2048}) {
                for (boolean withAdd : new boolean[] {true, false}) {
                    for (boolean viaRecords : new boolean[] {false, true}) {
                        checkNormed(ring, addRmsNorm, rmsNorm, ropeKvStore, input, cols, withAdd, viaRecords);
                    }
                }
            }
        } finally {
            SystemProperties.restore(FusedMatVec.QKV_CACHE_PROPERTY, cacheWas);
            SystemProperties.restore(FusedMatVec.NORM_STAGING_PROPERTY, normWas);
        }
    }

    private void checkNormed(FusedMatVec ring, AddRmsNorm addRmsNorm, RmsNorm rmsNorm, RopeKvStore ropeKvStore,
                             MatVecInput input, int cols, boolean withAdd, boolean viaRecords) {
        String what = "normed x " + input + ", " + cols + " columns" + (withAdd ? ", x + add" : ", x alone")
                + (viaRecords ? ", through records" : ", in every block");
        float eps = 1e-5f;
        float[] x = RandomWeights.gaussian(cols, random);
        float[] add = RandomWeights.gaussian(cols, random);
        float[] weight = RandomWeights.gaussian(cols, random);
        int headDim = 128, position = 3, capacity = 4;
        int[] rows = {512, 128, 128};  // q, k, v: four query heads, one kv head
        List<DeviceBuffer> buffers = new ArrayList<>();
        try (DeviceBuffer dx = DeviceArrays.upload(cuda, x); DeviceBuffer dAdd = DeviceArrays.upload(cuda, add);
             DeviceBuffer dw = DeviceArrays.upload(cuda, weight); DeviceBuffer sum = DeviceArrays.poisoned(cuda, cols);
             DeviceBuffer xRef = DeviceArrays.upload(cuda, x); DeviceBuffer normedRef = DeviceArrays.poisoned(cuda, cols);
             DeviceBuffer positions = DeviceArrays.upload(cuda, new int[] {position});
             DeviceBuffer records = DeviceArrays.poisoned(cuda, input.recordsBytes(cols) / Float.BYTES)) {
            NormedX normed = new NormedX(dx, withAdd ? dAdd : null, dw, eps, sum, viaRecords ? records : null);
            if (withAdd) {
                addRmsNorm.launch(xRef, dAdd, dw, normedRef, 1, cols, eps, stream);
            } else {
                rmsNorm.launch(xRef, dw, normedRef, 1, cols, eps, stream);
            }
            // one format's three matrices (q4_K), q4_K matrices with a q6_K one, q/k/v storing the cache (v q6_K)
            List<List<FusedMatVec.Part>> got = new ArrayList<>(), want = new ArrayList<>();
            for (int launch = 0; launch < 3; launch++) {
                List<FusedMatVec.Part> g = new ArrayList<>(), w = new ArrayList<>();
                qkvMatrices(launch > 0 ? WeightType.Q6_K : WeightType.Q4_K, rows, cols, buffers, g, w);
                got.add(g);
                want.add(w);
            }
            DeviceBuffer[] caches = poisonedCaches(capacity, rows[1], buffers);
            TokenCache cacheGot = new TokenCache(caches[0], caches[1], positions, null, headDim, 10000f, capacity);
            TokenCache cacheWant = new TokenCache(caches[2], caches[3], positions, null, headDim, 10000f, capacity);
            assertThat(ring.coversNormed(WeightType.Q4_K, cols, 0)).as(what).isTrue();
            ring.launchNormed(WeightType.Q4_K, cols, normed, got.get(0), stream);
            ring.launch(WeightType.Q4_K, cols, normedRef, want.get(0), stream);
            ring.launchQ4kThenQ6kNormed(cols, normed, got.get(1).subList(0, 2), got.get(1).get(2), stream);
            ring.launchQ4kThenQ6k(cols, normedRef, want.get(1).subList(0, 2), want.get(1).get(2), stream);
            List<FusedMatVec.Part> g = got.get(2), w = want.get(2);
            assertThat(ring.coversQkvCache(cols, headDim, true, WeightType.Q4_K, g.get(0), g.get(1), WeightType.Q6_K, g.get(2)))
                    .as(what).isTrue();
            ring.launchQkvCacheNormed(cols, normed, g.get(0), g.get(1), WeightType.Q6_K, g.get(2), cacheGot, stream);
            ring.launchQkvCache(cols, normedRef, w.get(0), w.get(1), WeightType.Q6_K, w.get(2), cacheWant, stream);
            stream.synchronize();
            assertSameBits(DeviceArrays.downloadFloats(xRef, cols), DeviceArrays.downloadFloats(sum, cols), what + ", the sum written");
            String[] launches = {"q4_K launch", "q4_K + q6_K launch", "q/k/v + cache launch"};
            for (int launch = 0; launch < 3; launch++) {
                for (int i = 0; i < 3; i++) {
                    assertSameBits(DeviceArrays.downloadFloats(want.get(launch).get(i).y(), rows[i]),
                            DeviceArrays.downloadFloats(got.get(launch).get(i).y(), rows[i]),
                            what + ", " + launches[launch] + ", y of matrix " + i);
                }
            }
            int cacheFloats = capacity * rows[1] / 2;
            assertSameBits(DeviceArrays.downloadFloats(caches[2], cacheFloats), DeviceArrays.downloadFloats(caches[0], cacheFloats),
                    what + ", key cache");
            assertSameBits(DeviceArrays.downloadFloats(caches[3], cacheFloats), DeviceArrays.downloadFloats(caches[1], cacheFloats),
                    what + ", value cache");
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
            SystemProperties.restore(RingMatVec.STAGE_PAIRS_PROPERTY, before);
        }
        try (pairs; pairGroups; MatVec single = new MatVec(cuda, input, true, RingAhead.UNCAPPED)) {
            assertSameProducts(pairs, pairGroups, single, input, type, new int[][] {{4096, 14336}, {1024, 28672}, {300, 4096}},
                    "x staged in pairs");
            checkQ4kThenQ6k(pairGroups, input, 14336, new int[] {20}, 4096);
        }
    }

    @ParameterizedTest
    @MethodSource("inputsAndTypes")
    void weightsMarkedEvictFirstGiveTheSameBits(MatVecInput input, WeightType type) {
        // only the L2's keeping of the weights changes: plain and grouped launches, a ring that wraps, the joint launch
        String before = System.getProperty(RingMatVec.EVICT_FIRST_PROPERTY);
        MatVec hinted;
        FusedMatVec hintedGroups;
        MatVec plain;
        try {
            System.setProperty(RingMatVec.EVICT_FIRST_PROPERTY, "true");
            hinted = new MatVec(cuda, input, true);
            hintedGroups = new FusedMatVec(cuda, input, true);
            System.setProperty(RingMatVec.EVICT_FIRST_PROPERTY, "false");
            plain = new MatVec(cuda, input, true);
        } finally {
            SystemProperties.restore(RingMatVec.EVICT_FIRST_PROPERTY, before);
        }
        try (hinted; hintedGroups; plain) {
            assertSameProducts(hinted, hintedGroups, plain, input, type, new int[][] {{4096, 14336}, {300, 4096}, {20000, 2048}},
                    "weights evict-first");
            checkQ4kThenQ6k(hintedGroups, input, 4096, new int[] {20}, 4096);
        }
    }

    @ParameterizedTest
    @MethodSource("inputsAndTypes")
    void downFromSwiGluRecordsMatchesSwiGluThenTheRingBitForBit(MatVecInput input, WeightType type) {
        // the 8B's and 70B's down projections, one of fewer records than a block has threads, and a ring that wraps
        int[][] shapes = {{4096, 14336}, {1024, 28672}, {300, 4096}, {20000, 2048}};
        try (MatVec ring = new MatVec(cuda, input, true); SwiGlu swiGlu = new SwiGlu(cuda)) {
            for (int[] shape : shapes) {
                int rows = shape[0], cols = shape[1];
                byte[] matrix = RandomWeights.matrix(type, rows, cols, random);
                String what = "down from records " + input + " " + type + " " + rows + "x" + cols;
                float[] gateValues = RandomWeights.gaussian(cols, random);
                // a record of zeros (silu(0) = 0): its scale and inverse 0, the branch the largest magnitude takes
                Arrays.fill(gateValues, 32, 64, 0.0f);
                try (DeviceBuffer w = DeviceArrays.upload(cuda, matrix);
                     DeviceBuffer gate = DeviceArrays.upload(cuda, gateValues);
                     DeviceBuffer up = DeviceArrays.upload(cuda, RandomWeights.gaussian(cols, random));
                     DeviceBuffer hb = DeviceArrays.poisoned(cuda, cols);
                     DeviceBuffer records = DeviceArrays.poisoned(cuda, cols / 32 * input.recordBytes() / Float.BYTES);
                     DeviceBuffer yPlain = DeviceArrays.poisoned(cuda, rows); DeviceBuffer yRecords = DeviceArrays.poisoned(cuda, rows)) {
                    swiGlu.launch(gate, up, hb, cols, stream);
                    ring.launch(type, w, 0, rows, cols, hb, yPlain, stream);
                    swiGlu.launchRecords(gate, up, records, cols, input, stream);
                    ring.launchFromRecords(type, w, 0, rows, cols, records, yRecords, stream);
                    stream.synchronize();
                    float[] want = DeviceArrays.downloadFloats(yPlain, rows);
                    DeviceArrays.assertClose(reference(input, type, matrix, rows, cols, DeviceArrays.downloadFloats(hb, cols)),
                            want, 1e-5, what + " (plain)");
                    assertSameBits(want, DeviceArrays.downloadFloats(yRecords, rows), what);
                }
            }
            try (DeviceBuffer v = DeviceArrays.poisoned(cuda, 64); DeviceBuffer r = DeviceArrays.poisoned(cuda, 64)) {
                assertThatThrownBy(() -> swiGlu.launchRecords(v, v, r, 48, input, stream))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
                assertThatThrownBy(() -> ring.launchFromRecords(WeightType.Q8_0, v, 0, 1, 32, r, v, stream))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not on the ring");
            }
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

    // q and k (q4_K) and v (vType) of rows[0..2] x cols, each with two NaN-poisoned outputs: one part into `got`, one
    // into `want`
    private void qkvMatrices(WeightType vType, int[] rows, int cols, List<DeviceBuffer> buffers, List<FusedMatVec.Part> got,
                             List<FusedMatVec.Part> want) {
        for (int i = 0; i < 3; i++) {
            WeightType type = i == 2 ? vType : WeightType.Q4_K;
            DeviceBuffer w = DeviceArrays.upload(cuda, RandomWeights.matrix(type, rows[i], cols, random));
            DeviceBuffer y1 = DeviceArrays.poisoned(cuda, rows[i]);
            DeviceBuffer y2 = DeviceArrays.poisoned(cuda, rows[i]);
            buffers.addAll(List.of(w, y1, y2));
            got.add(new FusedMatVec.Part(w, 0, rows[i], y1));
            want.add(new FusedMatVec.Part(w, 0, rows[i], y2));
        }
    }

    // four f16 caches of `capacity` rows of `width`, filled with float NaN words: rows neither launch writes compare
    // equal, a row one of them missed does not
    private static DeviceBuffer[] poisonedCaches(int capacity, int width, List<DeviceBuffer> buffers) {
        DeviceBuffer[] caches = new DeviceBuffer[4];
        for (int i = 0; i < 4; i++) {
            caches[i] = DeviceArrays.poisoned(cuda, (long) capacity * width / 2);
            buffers.add(caches[i]);
        }
        return caches;
    }

    private static void assertSameBits(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                throw new AssertionError(what + ": row " + i + " is " + got[i] + ", the launch it is held to gives " + want[i]);
            }
        }
    }
}
