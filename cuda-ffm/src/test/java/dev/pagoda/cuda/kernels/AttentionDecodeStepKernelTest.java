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
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one-launch attention of a decode token (attention_decode_step) against what it replaces,
 * rope_qk_store and then the one-token attention kernels (partials, merge), on fresh random inputs: the
 * output (poisoned before) and both caches bit for bit, and its arrival counters zero after every launch.
 */
class AttentionDecodeStepKernelTest {
    private static final float ROPE_BASE = 500000f;

    private static Cuda cuda;
    private static CudaStream stream;
    private static AttentionDecodeStep step;
    private static Attention attention;
    private static RopeKvStore ropeKvStore;
    private static KvStore kvStore;
    private final Random random = new Random();

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        stream = cuda.createStream();
        step = new AttentionDecodeStep(cuda);
        attention = new Attention(cuda);
        ropeKvStore = new RopeKvStore(cuda);
        kvStore = new KvStore(cuda);
    }

    @AfterAll
    static void tearDown() {
        if (step != null) {
            kvStore.close();
            ropeKvStore.close();
            attention.close();
            step.close();
            stream.close();
        }
    }

    /**
     * Group sizes 1, 2, 4 and 8, head widths 8 to 256, positions at the start, at span edges, in the middle
     * and at the cache's last row, grids of 8 to 64 spans per kv head (so a merge over more than 32 spans).
     */
    @ParameterizedTest
    @CsvSource({"32, 8, 128, 1000, 0", "32, 8, 128, 1000, 31", "32, 8, 128, 1000, 32", "32, 8, 128, 1000, 575",
            "32, 8, 128, 1000, 999", "8, 8, 128, 640, 300", "64, 8, 128, 4096, 4095", "64, 8, 128, 4096, 2500",
            "16, 8, 64, 100, 64", "4, 2, 256, 70, 69", "8, 4, 8, 128, 100", "4, 4, 128, 9000, 8191"})
    void matchesRopeKvStoreThenTheOneTokenKernelsBitForBit(int heads, int kvHeads, int headDim, int capacity, int pos) {
        for (boolean withFactors : new boolean[] {false, true}) {
            try (Case c = new Case(heads, kvHeads, headDim, capacity, withFactors)) {
                c.randomStep(pos);
                c.runStep(capacity);
                c.runThreeLaunches(capacity);
                stream.synchronize();
                c.assertSame("position " + pos + " of " + capacity + (withFactors ? " with frequency factors" : ""));
            }
        }
    }

    /**
     * One launch captured for the whole context and replayed at positions changed only in device memory, with
     * launches of other grids (a shorter maxEnd: fewer spans) between replays on the same counters.
     */
    @Test
    void aCapturedStepServesEveryPositionOnTheSameCounters() {
        int capacity = 1500;
        try (Case c = new Case(32, 8, 128, capacity, true)) {
            stream.beginCapture();
            c.runStep(capacity);
            try (CudaGraph graph = stream.endCapture()) {
                for (int pos : new int[] {0, 31, 32, 700, 1499, 5, 64}) {
                    c.randomStep(pos);
                    graph.launch(stream);
                    c.runThreeLaunches(capacity);
                    stream.synchronize();
                    c.assertSame("replay at position " + pos);
                    c.randomStep(pos);
                    c.runStep(pos + 1);
                    c.runThreeLaunches(pos + 1);
                    stream.synchronize();
                    c.assertSame("a launch with maxEnd " + (pos + 1) + " at position " + pos);
                }
            }
        }
    }

    @Test
    void rejectsShapesAndCachesItDoesNotTake() {
        try (Case c = new Case(32, 8, 128, 64, false)) {
            assertThatThrownBy(() -> c.launchStep(24, 8, 128, 64))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24 heads over 8 kv heads");
            assertThatThrownBy(() -> c.launchStep(32, 8, 128, 65))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEnd (65)");
        }
        assertThat(AttentionDecodeStep.fits(32, 8, 128, 8 * 128)).isTrue();
        assertThat(AttentionDecodeStep.fits(32, 8, 80, 8 * 80)).as("head width 80").isFalse();
        assertThat(AttentionDecodeStep.fits(32, 8, 128, 8 * 64)).as("v rows of another width").isFalse();
    }

    /** The buffers of one comparison: the step writes caches a, the three launches caches b (same rows before). */
    private final class Case implements AutoCloseable {
        final int heads, kvHeads, headDim, capacity, rowLen;
        final float scale;
        final DeviceBuffer q, k, v, qb, kb, position, factors, keysA, valuesA, keysB, valuesB, workA, workB, arrivals,
                outA, outB;
        final boolean withFactors;

        Case(int heads, int kvHeads, int headDim, int capacity, boolean withFactors) {
            this.heads = heads;
            this.kvHeads = kvHeads;
            this.headDim = headDim;
            this.capacity = capacity;
            this.withFactors = withFactors;
            this.rowLen = kvHeads * headDim;
            this.scale = (float) (1 / Math.sqrt(headDim));
            float[] f = new float[headDim / 2];
            for (int i = 0; i < f.length; i++) {
                f[i] = 1 + 7 * random.nextFloat();
            }
            q = cuda.allocate(4L * heads * headDim);
            qb = cuda.allocate(4L * heads * headDim);
            k = cuda.allocate(4L * rowLen);
            kb = cuda.allocate(4L * rowLen);
            v = cuda.allocate(4L * rowLen);
            position = DeviceArrays.upload(cuda, new int[] {0});
            factors = DeviceArrays.upload(cuda, f);
            keysA = cuda.allocate(2L * capacity * rowLen);
            valuesA = cuda.allocate(2L * capacity * rowLen);
            keysB = cuda.allocate(2L * capacity * rowLen);
            valuesB = cuda.allocate(2L * capacity * rowLen);
            workA = cuda.allocate(Attention.workspaceBytes(1, heads, headDim));
            workB = cuda.allocate(Attention.workspaceBytes(1, heads, headDim));
            arrivals = cuda.allocate(AttentionDecodeStep.arrivalsBytes(kvHeads));
            arrivals.fill32(0);
            outA = DeviceArrays.poisoned(cuda, (long) heads * headDim);
            outB = DeviceArrays.poisoned(cuda, (long) heads * headDim);
            // every row of both caches holds the same random keys and values
            try (DeviceBuffer rows = DeviceArrays.upload(cuda, RandomWeights.gaussian(capacity * rowLen, random));
                 DeviceBuffer zero = DeviceArrays.upload(cuda, new int[] {0})) {
                for (DeviceBuffer cache : new DeviceBuffer[] {keysA, valuesA, keysB, valuesB}) {
                    kvStore.launch(rows, cache, capacity, rowLen, zero, capacity, stream);
                }
                stream.synchronize();
            }
            workA.fill32(DeviceArrays.NAN_BITS);
            workB.fill32(DeviceArrays.NAN_BITS);
        }

        /** New q, k and v at position pos (q and k copied for the three launches, which rotate them in place). */
        void randomStep(int pos) {
            float[] qs = RandomWeights.gaussian(heads * headDim, random);
            float[] ks = RandomWeights.gaussian(rowLen, random);
            try (Arena arena = Arena.ofConfined()) {
                q.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_FLOAT, qs));
                qb.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_FLOAT, qs));
                k.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_FLOAT, ks));
                kb.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_FLOAT, ks));
                v.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_FLOAT, RandomWeights.gaussian(rowLen, random)));
                position.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_INT, pos));
            }
            outA.fill32(DeviceArrays.NAN_BITS);
            outB.fill32(DeviceArrays.NAN_BITS);
        }

        void runStep(int maxEnd) {
            launchStep(heads, kvHeads, headDim, maxEnd);
        }

        void launchStep(int heads, int kvHeads, int headDim, int maxEnd) {
            step.launch(q, k, v, keysA, valuesA, position, withFactors ? factors : null, workA, arrivals, outA, heads,
                    kvHeads, headDim, ROPE_BASE, capacity, maxEnd, scale, stream);
        }

        void runThreeLaunches(int maxEnd) {
            ropeKvStore.launch(qb, kb, v, keysB, valuesB, position, withFactors ? factors : null, 1, heads, kvHeads,
                    headDim, rowLen, ROPE_BASE, capacity, stream);
            attention.launch(qb, keysB, valuesB, workB, outB, 1, heads, kvHeads, headDim, position, maxEnd, scale, stream);
        }

        void assertSame(String what) {
            float[] want = DeviceArrays.downloadFloats(outB, heads * headDim);
            float[] got = DeviceArrays.downloadFloats(outA, heads * headDim);
            for (int i = 0; i < want.length; i++) {
                assertThat(Float.isNaN(want[i])).as("%s: three launches' output %d written", what, i).isFalse();
                if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
                    throw new AssertionError(what + ": output " + i + " (head " + i / headDim + ") is " + got[i]
                            + " in one launch, " + want[i] + " in three");
                }
            }
            int n = capacity * rowLen;
            assertThat(DeviceArrays.downloadShorts(keysA, n)).as("%s: key cache", what)
                    .isEqualTo(DeviceArrays.downloadShorts(keysB, n));
            assertThat(DeviceArrays.downloadShorts(valuesA, n)).as("%s: value cache", what)
                    .isEqualTo(DeviceArrays.downloadShorts(valuesB, n));
            assertThat(DeviceArrays.downloadInts(arrivals, kvHeads)).as("%s: arrival counters", what)
                    .containsOnly(0);
        }

        @Override
        public void close() {
            for (DeviceBuffer b : new DeviceBuffer[] {q, qb, k, kb, v, position, factors, keysA, valuesA, keysB, valuesB,
                    workA, workB, arrivals, outA, outB}) {
                b.close();
            }
        }
    }
}
