package dev.pagoda.cuda.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The device's best candidates against a host reference that penalizes and sorts every logit with the
 * sampler's packing: vocabularies from 1 to the largest a launch takes (one past a slice, fewer than
 * {@link TopCandidates#CANDIDATES}), many tied logits (the lower id must win), −inf, −0.0, penalized ids
 * with positive and negative logits; the output starts NaN-poisoned; and a NaN logit's index is reported.
 */
class TopCandidatesKernelTest {
    private static Cuda cuda;
    private static TopCandidates top;
    private static CudaStream stream;
    private final SplittableRandom random = new SplittableRandom(5);

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        top = new TopCandidates(cuda);
        stream = cuda.createStream();
    }

    @AfterAll
    static void tearDown() {
        if (top != null) {
            stream.close();
            top.close();
        }
    }

    static long pack(float logit, int id) {
        int bits = Float.floatToRawIntBits(logit + 0.0f);
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) sortable << 32) | (Integer.MAX_VALUE - id);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 63, 64, 65, 2048, 2049, 100_000, 128_256, TopCandidates.MAX_VOCABULARY})
    void matchesTheSortedPenalizedLogits(int n) {
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            // coarse values so that many tie; some -inf and -0.0
            logits[i] = switch (random.nextInt(50)) {
                case 0 -> Float.NEGATIVE_INFINITY;
                case 1 -> -0.0f;
                default -> Math.round(random.nextGaussian() * 40) / 8.0f;
            };
        }
        int[] ids = random.ints(Math.min(n, 40), 0, n).distinct().toArray();
        float penalty = 1.3f;
        float[] want = logits.clone();
        for (int id : ids) {
            float l = want[id];
            want[id] = l <= 0 ? l * penalty : l / penalty;
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = pack(want[i], i);
        }
        Arrays.sort(keys);
        try (DeviceBuffer d = DeviceArrays.upload(cuda, logits); DeviceBuffer dIds = DeviceArrays.upload(cuda, ids);
             DeviceBuffer scratch = DeviceArrays.poisoned(cuda, TopCandidates.scratchBytes(n) / 4);
             DeviceBuffer out = DeviceArrays.poisoned(cuda, TopCandidates.OUT_BYTES / 4);
             Arena arena = Arena.ofConfined()) {
            top.launch(d, n, dIds, ids.length, penalty, scratch, out, stream);
            stream.synchronize();
            MemorySegment host = arena.allocate(TopCandidates.OUT_BYTES);
            out.copyToHost(host);
            int count = Math.min(n, TopCandidates.CANDIDATES);
            for (int i = 0; i < count; i++) {
                long key = host.getAtIndex(ValueLayout.JAVA_LONG, i);
                long expected = keys[n - 1 - i];
                assertThat(key).as("candidate %d of %d", i, n).isEqualTo(expected);
                int id = TopCandidates.id(key);
                assertThat(Float.floatToIntBits(TopCandidates.logit(key)))
                        .isEqualTo(Float.floatToIntBits(want[id] + 0.0f));
            }
            for (int i = count; i < TopCandidates.CANDIDATES; i++) {
                assertThat(host.getAtIndex(ValueLayout.JAVA_LONG, i)).isEqualTo(Long.MIN_VALUE);
            }
            assertThat(host.get(ValueLayout.JAVA_INT, TopCandidates.NAN_INDEX_OFFSET)).isEqualTo(Integer.MAX_VALUE);
            // the penalty was applied in place
            float[] after = DeviceArrays.downloadFloats(d, n);
            assertThat(Float.floatToIntBits(after[ids[0]])).isEqualTo(Float.floatToIntBits(want[ids[0]]));
        }
    }

    @Test
    void reportsTheFirstNanLogit() {
        int n = 70_000;
        float[] logits = new float[n];
        logits[65_000] = Float.NaN;
        logits[4_097] = Float.NaN;
        try (DeviceBuffer d = DeviceArrays.upload(cuda, logits);
             DeviceBuffer scratch = cuda.allocate(TopCandidates.scratchBytes(n));
             DeviceBuffer out = DeviceArrays.poisoned(cuda, TopCandidates.OUT_BYTES / 4);
             Arena arena = Arena.ofConfined()) {
            top.launch(d, n, null, 0, 1.0f, scratch, out, stream);
            stream.synchronize();
            MemorySegment host = arena.allocate(TopCandidates.OUT_BYTES);
            out.copyToHost(host);
            assertThat(host.get(ValueLayout.JAVA_INT, TopCandidates.NAN_INDEX_OFFSET)).isEqualTo(4_097);
        }
    }

    @Test
    void refusesAVocabularyLargerThanOneLaunchTakes() {
        try (DeviceBuffer d = cuda.allocate(4)) {
            assertThatThrownBy(() -> top.launch(d, TopCandidates.MAX_VOCABULARY + 1, null, 0, 1.0f, d, d, stream))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larger than");
        }
    }
}
