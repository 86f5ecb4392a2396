package dev.pagoda.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    /**
     * Back-to-back calls of varying sizes with more threads than cores: every index of every call
     * is visited exactly once. (A pool with one shared claim cursor for all calls ran chunks of a
     * call with the previous call's size under exactly this load, and could then wait forever.)
     */
    @Test
    void everyIndexOfEveryCallRunsExactlyOnce() {
        SplittableRandom random = new SplittableRandom(7);
        long deadline = System.nanoTime() + 8_000_000_000L;
        try (WorkerPool pool = new WorkerPool(16)) {
            for (int call = 0; call < 200_000 && System.nanoTime() < deadline; call++) {
                int n = 1 + random.nextInt(3000);
                AtomicIntegerArray visits = new AtomicIntegerArray(n);
                pool.forEachRange(n, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        visits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    if (visits.get(i) != 1) {
                        throw new AssertionError("call " + call + " of size " + n + ": index " + i + " ran "
                                + visits.get(i) + " times");
                    }
                }
            }
        }
    }

    @Test
    void aFailingChunkIsRethrownAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(4)) {
            assertThatThrownBy(() -> pool.forEachRange(1000, (from, to) -> {
                if (from == 0) {
                    throw new IllegalStateException("chunk at 0");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("chunk at 0");
            int[] sum = new int[1];
            pool.forEachRange(1, (from, to) -> sum[0] += to - from);
            AtomicIntegerArray visits = new AtomicIntegerArray(500);
            pool.forEachRange(500, (from, to) -> {
                for (int i = from; i < to; i++) {
                    visits.incrementAndGet(i);
                }
            });
            assertThat(sum[0]).isEqualTo(1);
            for (int i = 0; i < 500; i++) {
                assertThat(visits.get(i)).isEqualTo(1);
            }
        }
    }
}
