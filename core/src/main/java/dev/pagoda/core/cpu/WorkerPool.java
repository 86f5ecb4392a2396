package dev.pagoda.core.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads that split a range of rows between them. Threads are created
 * once, in the constructor; a call costs a wake-up, not a thread start, and allocates nothing.
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

    private final Thread[] workers;
    /** Call generation (high 32 bits) and next unclaimed chunk (low 32 bits), claimed by CAS. */
    private final AtomicLong cursor = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile RangeTask task;
    private volatile int size;
    private volatile int chunks;
    private volatile boolean closed;

    /** A pool of {@code threads} threads in all, counting the caller (so threads − 1 are started). */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Thread.ofPlatform().daemon().name("pagoda-cpu-" + (i + 1)).unstarted(this::work);
            workers[i].start();
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
        int count = Math.min(n, threads() * CHUNKS_PER_THREAD);
        this.task = task;
        this.size = n;
        this.chunks = count;
        failure.set(null);
        done.set(0);
        long generation = (cursor.get() >>> 32) + 1;
        cursor.set(generation << 32);          // publishes the fields above to claiming threads
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        runChunks(generation);
        int spins = 0;
        while (done.get() != count) {
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        this.task = null;
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /**
     * Claims and runs chunks of call {@code generation} until none is left. The task and sizes
     * are read before the claim; a successful CAS proves they still belong to that call, because
     * a new call starts only after every chunk of the old one has been claimed and finished.
     */
    private void runChunks(long generation) {
        while (true) {
            long c = cursor.get();
            if (c >>> 32 != generation) {
                return;
            }
            int chunk = (int) c;
            RangeTask t = task;
            long n = size;
            int count = chunks;
            if (chunk >= count || t == null) {
                return;
            }
            if (!cursor.compareAndSet(c, c + 1)) {
                continue;
            }
            try {
                t.run((int) (n * chunk / count), (int) (n * (chunk + 1) / count));
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                done.incrementAndGet();
            }
        }
    }

    private void work() {
        long seen = 0;
        while (true) {
            int spins = 0;
            long generation;
            while ((generation = cursor.get() >>> 32) == seen && !closed) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            runChunks(generation);
        }
    }

    /** Stops the workers. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
