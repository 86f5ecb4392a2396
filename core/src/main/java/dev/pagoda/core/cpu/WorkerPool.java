package dev.pagoda.core.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads that split a range of rows between them. Threads are created
 * once, in the constructor; each call hands every worker one contiguous chunk and the calling
 * thread works on the first chunk itself, so a call costs a wake-up, not a thread start.
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

    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long generation;
    private volatile RangeTask task;
    private volatile int size;
    private volatile boolean closed;

    /** A pool of {@code threads} threads in all, counting the caller (so threads − 1 are started). */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int chunk = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("pagoda-cpu-" + chunk).unstarted(() -> work(chunk));
            workers[i].start();
        }
    }

    /** Threads that share each call, the caller included. */
    public int threads() {
        return workers.length + 1;
    }

    /** Runs {@code task} over [0, n), split into {@link #threads()} contiguous chunks; returns when all are done. */
    public synchronized void forEachRange(int n, RangeTask task) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        int parts = threads();
        if (parts == 1 || n < 2) {
            task.run(0, n);
            return;
        }
        this.task = task;
        this.size = n;
        failure.set(null);
        pending.set(workers.length);
        generation++;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        Throwable own = null;
        try {
            task.run(0, (int) ((long) n / parts));
        } catch (Throwable t) {
            own = t;
        }
        int spins = 0;
        while (pending.get() != 0) {
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        this.task = null;
        Throwable t = own != null ? own : failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    private void work(int chunk) {
        long seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
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
            int parts = workers.length + 1;
            long n = size;
            try {
                task.run((int) (n * chunk / parts), (int) (n * (chunk + 1) / parts));
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                pending.decrementAndGet();
            }
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
