package dev.pagoda.core.cpu;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * A measuring tool, not a test: one CPU row-dot form on random rows of 4096 columns ({@link RandomWeights}), one thread in cache
 * (128 rows), one thread from memory (65,536 rows: 151 MB of Q4_K) and T plain threads from memory (rows
 * split evenly, no worker pool). Prints ns per row and GB/s of weights for four rounds (the first warms
 * up). Forms: {@code q4_k-table} and {@code q4_k-convert} (Q4_KKernel's 16-lane and 8-lane forms, either
 * on any machine), and the {@code dot} of {@code q4_k}, {@code q5_k}, {@code q6_k}, {@code q8_0}. One form
 * per JVM: timed side by side in one JVM, forms that share vector code are compiled for all of them and
 * the one measured first lost up to 40 % on dev (docs/perf/NOTES.md, CPU round 5).
 * Run: {@code java --add-modules jdk.incubator.vector -cp core.jar:core-tests.jar:gguf.jar
 * dev.pagoda.core.cpu.RowDotRates FORM [threads]}.
 */
public final class RowDotRates {
    private static final int COLS = 4096;

    private RowDotRates() {
    }

    private interface Dot {
        float dot(MemorySegment w, long offset, float[] x, int xOff, int n);
    }

    private record Form(GgmlType type, Dot dot) {
    }

    private static Form form(String name) {
        return switch (name) {
            case "q4_k-table" -> new Form(GgmlType.Q4_K, Q4_KKernel::dotTable);
            case "q4_k-convert" -> new Form(GgmlType.Q4_K, Q4_KKernel::dotConvert);
            case "q4_k", "q5_k", "q6_k", "q8_0" -> {
                RowKernel k = RowKernel.of(GgmlType.valueOf(name.toUpperCase(java.util.Locale.ROOT)));
                yield new Form(k.type(), k::dot);
            }
            default -> throw new IllegalArgumentException(
                    "form must be q4_k-table, q4_k-convert, q4_k, q5_k, q6_k or q8_0, got " + name);
        };
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "q4_k";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        Form form = form(name);
        Random rnd = new Random(11);
        float[] x = RandomWeights.gaussian(COLS, rnd);
        int rows = 1 << 16;
        long rowBytes = form.type().byteSize(COLS);
        MemorySegment m = RandomWeights.rows(form.type(), rows, COLS, rnd);
        RowKernel reference = RowKernel.of(form.type());
        for (int r = 0; r < 4; r++) {
            System.out.printf("row %d: scalar %.5f %s %.5f%n", r, reference.dotScalar(m, r * rowBytes, x, 0, COLS), name,
                    form.dot().dot(m, r * rowBytes, x, 0, COLS));
        }
        System.out.printf("%-14s %14s %14s %20s%n", "form", "cache ns/row", "memory GB/s", threads + " threads GB/s");
        for (int round = 0; round < 4; round++) {
            double cacheNs = timeRows(form.dot(), m, rowBytes, x, 128, 2000) / 128.0 / 2000;
            double memNs = timeRows(form.dot(), m, rowBytes, x, rows, 2) / rows / 2.0;
            double parallel = timeParallel(form.dot(), m, rowBytes, x, rows, threads, 3);
            System.out.printf("%-14s %14.1f %14.2f %20.2f%n", name, cacheNs, rowBytes / memNs, parallel);
        }
    }

    private static volatile float sink;

    private static double timeRows(Dot dot, MemorySegment m, long rowBytes, float[] x, int rows, int reps) {
        float s = 0;
        for (int r = 0; r < Math.min(rows, 2000); r++) {
            s += dot.dot(m, r * rowBytes, x, 0, COLS);
        }
        long t0 = System.nanoTime();
        for (int rep = 0; rep < reps; rep++) {
            for (int r = 0; r < rows; r++) {
                s += dot.dot(m, r * rowBytes, x, 0, COLS);
            }
        }
        long t = System.nanoTime() - t0;
        sink = s;
        return t;
    }

    // GB/s of weights with `threads` threads, each taking a contiguous slice of the rows; best of reps
    private static double timeParallel(Dot dot, MemorySegment m, long rowBytes, float[] x, int rows, int threads,
                                       int reps) throws InterruptedException {
        double best = 0;
        for (int rep = 0; rep < reps; rep++) {
            Thread[] ts = new Thread[threads];
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) rows * t / threads), to = (int) ((long) rows * (t + 1) / threads);
                ts[t] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    float s = 0;
                    for (int r = from; r < to; r++) {
                        s += dot.dot(m, r * rowBytes, x, 0, COLS);
                    }
                    sink = s;
                });
                ts[t].start();
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Thread t : ts) {
                t.join();
            }
            long ns = System.nanoTime() - t0;
            best = Math.max(best, rows * (double) rowBytes / ns);
        }
        return best;
    }
}
