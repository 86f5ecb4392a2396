package dev.pagoda.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WorkerPoolTest {

    @Test
    void threadCountsOutsideOneToMaxAreRefusedByName() {
        for (int bad : new int[] {0, -1, WorkerPool.MAX_THREADS + 1, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> new WorkerPool(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("thread count must be between 1 and " + WorkerPool.MAX_THREADS + ", got " + bad);
        }
        WorkerPool.checkThreadCount(WorkerPool.MAX_THREADS);
    }


    /**
     * Back-to-back calls whose chunk counts change from call to call, with more threads than cores:
     * every index of every call is visited exactly once. (The pool this replaced published a call's
     * chunk count before resetting its shared claim cursor, so a worker still looking at the last
     * call's exhausted cursor could claim one more chunk against the new, larger count and run it with
     * the new task: indices ran twice and the completion count overshot, which hung the caller.)
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)  // the old pool hung here
    void everyIndexOfEveryCallRunsExactlyOnce() {
        SplittableRandom random = new SplittableRandom(7);
        long deadline = System.nanoTime() + 8_000_000_000L;
        AtomicIntegerArray visits = new AtomicIntegerArray(4096);
        try (WorkerPool pool = new WorkerPool(16)) {
            for (int call = 0; call < 2_000_000 && System.nanoTime() < deadline; call++) {
                // mostly fewer indices than the pool's 128 chunks, so the chunk count differs between calls
                int n = random.nextInt(8) == 0 ? 2 + random.nextInt(4000) : 2 + random.nextInt(200);
                pool.forEachRange(n, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        visits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    int v = visits.getAndSet(i, 0);
                    if (v != 1) {
                        throw new AssertionError("call " + call + " of size " + n + ": index " + i + " ran " + v + " times");
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

    @Test
    void chunksCoverTheRangeInOrderAndShrinkForTheLastQuarter() {
        for (int threads : new int[] {2, 3, 16, 64}) {
            for (int n : new int[] {2, 7, 31 * threads, 32 * threads, 4096, 14336, 128256, 1 << 30}) {
                int chunks = WorkerPool.chunkCount(n, threads);
                assertThat(WorkerPool.chunkStart(n, chunks, threads, 0)).isZero();
                assertThat(WorkerPool.chunkStart(n, chunks, threads, chunks)).as("n %d, %d threads", n, threads).isEqualTo(n);
                for (int k = 0; k < chunks; k++) {
                    assertThat(WorkerPool.chunkStart(n, chunks, threads, k + 1))
                            .isGreaterThanOrEqualTo(WorkerPool.chunkStart(n, chunks, threads, k));
                }
                if (n >= 32 * threads) {
                    assertThat(chunks).isEqualTo(14 * threads);
                    long first = WorkerPool.chunkStart(n, chunks, threads, 1);
                    long last = n - WorkerPool.chunkStart(n, chunks, threads, chunks - 1);
                    assertThat(first).isBetween(n / (8L * threads) - 1, n / (8L * threads) + 1);
                    assertThat(last).isBetween(n / (32L * threads) - 1, n / (32L * threads) + 1);
                } else {
                    assertThat(chunks).isEqualTo(Math.min(n, 8 * threads));
                }
            }
        }
    }
}
