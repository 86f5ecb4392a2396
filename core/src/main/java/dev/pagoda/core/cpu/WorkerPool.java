package dev.pagoda.core.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads that split a range of rows between them. Threads are created
 * once, in the constructor; a call costs a wake-up, not a thread start, and one small
 * record.
 *
 * <p>The range is cut into several chunks per thread that the caller and the workers claim one at
 * a time from a shared counter. A thread that is descheduled (the machine is shared, or has fewer
 * cores than threads) therefore holds up at most the one chunk it is working on: the others take
 * the rest. With one fixed chunk per thread, every call waited for the slowest thread's whole
 * share, which on a loaded machine made a forward pass many times slower.
 *
 * <p>Thread-safe: concurrent callers are served one after the other. A task must not call
 * {@link #forEachRange} itself.
 */
public final class WorkerPool implements AutoCloseable {

    /** Work on the half-open index range [from, to). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    /** Spins before a waiting worker parks: a forward pass issues calls back to back. */
    private static final int SPINS = 2_000;
    /** Chunks per thread: enough to even out a slow thread, few enough that claiming costs nothing. */
    private static final int CHUNKS_PER_THREAD = 8;
    /**
     * One call: its own claim and completion counters. A worker that wakes late still holds the call
     * it saw and can only claim from that call's exhausted counter, so no chunk of a later call can
     * be run twice. (The single shared cursor this replaced published the next call's chunk count
     * before resetting the cursor, so a worker still looking at the exhausted cursor could claim one
     * more chunk against the new, larger count and run it with the new task: indices ran twice and
     * the completion count overshot, which left the caller waiting forever.)
     */
    private record Call(RangeTask task, int size, int chunks, AtomicInteger next, AtomicInteger done,
            AtomicReference<Throwable> failure) {
    }

    private final Thread[] workers;
    private volatile Call call;
    private volatile boolean closed;

    /** The most threads a pool takes: ggml's limit too (GGML_MAX_N_THREADS); far past any core count that helps. */
    public static final int MAX_THREADS = 512;

    /**
     * A pool of {@code threads} threads in all, counting the caller (so threads − 1 are started).
     *
     * @throws IllegalArgumentException outside [1, {@link #MAX_THREADS}]
     * @throws IllegalStateException when the system refuses to start a thread (its process or memory
     *         limits); the threads already started are stopped
     */
    public WorkerPool(int threads) {
        checkThreadCount(threads);
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Thread.ofPlatform().daemon().name("pagoda-cpu-" + (i + 1)).unstarted(this::work);
            try {
                workers[i].start();
            } catch (OutOfMemoryError e) {
                // "unable to create native thread": the system's limit, not the heap; give back what started
                workers[i] = null;
                close();
                throw new IllegalStateException("could not start CPU worker thread " + (i + 1) + " of " + (threads - 1)
                        + " (" + e.getMessage() + "): use fewer threads", e);
            }
        }
    }

    /** Throws unless 1 ≤ threads ≤ {@link #MAX_THREADS}. */
    public static void checkThreadCount(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("thread count must be between 1 and " + MAX_THREADS + ", got " + threads);
        }
    }

    /** Threads that share each call, the caller included. */
    public int threads() {
        return workers.length + 1;
    }

    /** Runs {@code task} over [0, n), split into contiguous chunks shared by all threads; returns when all are done. */
    public synchronized void forEachRange(int n, RangeTask task) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (workers.length == 0 || n < 2) {
            task.run(0, n);
            return;
        }
        Call c = new Call(task, n, chunkCount(n, threads()), new AtomicInteger(), new AtomicInteger(),
                new AtomicReference<>());
        call = c;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        runChunks(c);
        int spins = 0;
        while (c.done.get() != c.chunks) {
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        Throwable t = c.failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /**
     * How many chunks a call over n indices is cut into: below 32 indices per thread, up to
     * {@link #CHUNKS_PER_THREAD} equal chunks per thread; above, 14 per thread (see {@link #chunkStart}).
     */
    static int chunkCount(int n, int threads) {
        return n < 32 * threads ? Math.min(n, threads * CHUNKS_PER_THREAD) : 14 * threads;
    }

    /**
     * Where chunk k of a call over n indices cut into {@code chunks} starts (chunk k is [start(k),
     * start(k + 1)), start(chunks) = n). Below 32 indices per thread, equal chunks. Above, the first
     * three quarters of the range in 6 chunks per thread of n / (8 threads), the last quarter in 8 per
     * thread a quarter that size: the threads that finish first then wait for at most a small chunk of
     * the slowest (that wait was 16 % of a 16-thread decode's samples, docs/perf/NOTES.md CPU round 8),
     * while the early chunks stay as large as before.
     */
    static int chunkStart(int n, int chunks, int threads, int k) {
        if (n < 32 * threads) {
            return (int) ((long) n * k / chunks);
        }
        int head = 6 * threads;
        // in units of n / (32 threads): 4 per head chunk, 1 per tail chunk (6·4 + 8 = 32 per thread)
        long units = k <= head ? 4L * k : 4L * head + (k - head);
        return (int) ((long) n * units / (32L * threads));
    }

    /** Claims and runs chunks of {@code c} until none is left. */
    private void runChunks(Call c) {
        int n = c.size;
        int count = c.chunks;
        int threads = threads();
        int chunk;
        while ((chunk = c.next.getAndIncrement()) < count) {
            try {
                c.task.run(chunkStart(n, count, threads, chunk), chunkStart(n, count, threads, chunk + 1));
            } catch (Throwable e) {
                c.failure.compareAndSet(null, e);
            } finally {
                c.done.incrementAndGet();
            }
        }
    }

    private void work() {
        Call seen = null;
        while (true) {
            int spins = 0;
            Call c;
            while ((c = call) == seen && !closed) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = c;
            runChunks(c);
        }
    }

    /** Stops the workers. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }
}
