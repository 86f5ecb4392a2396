package dev.pagoda.core.cpu;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * A measuring tool, not a test: the CPU engine's two Q4_K row-dot forms (the 16-lane table form and the
 * convert form) and the Q8_0 dot as a reference, one thread in cache (128 rows) and from memory (65536
 * rows, 151 MB of Q4_K), and T threads from memory (plain threads, rows split evenly, no worker pool), on
 * random rows of 4096 columns. Prints ns per row and GB/s of weights, four rounds (the first warms up). One form
 * per JVM: timed side by side in one JVM, the forms' shared vector code is compiled for all of them and
 * the first one measured loses up to 40 %.
 * Run: {@code java --add-modules jdk.incubator.vector -cp core.jar:core-tests.jar:gguf.jar
 * dev.pagoda.core.cpu.Q4KDotRates table|convert|q8_0 [threads]} (docs/perf/NOTES.md, "q4_K scales by vector operations").
 */
public final class Q4KDotRates {
    private static final int COLS = 4096;
    private static final long ROW_BYTES = COLS / 256 * 144L;
    private Q4KDotRates() {
    }

    interface Dot {
        float dot(MemorySegment w, long offset, float[] x, int xOff, int n);
    }

    public static void main(String[] args) throws Exception {
        String form = args.length > 0 ? args[0] : "table";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        SplittableRandom rnd = new SplittableRandom(11);
        float[] x = new float[COLS];
        for (int i = 0; i < COLS; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        String[] names = {"q4_K table", "q4_K convert", "q8_0 (reference)"};
        RowKernel q8 = RowKernel.of(GgmlType.Q8_0);
        Dot[] dots = {Q4_KKernel::dotTable, Q4_KKernel::dotConvert, q8::dot};
        try (Arena arena = Arena.ofShared()) {
            int bigRows = 1 << 16;  // 151 MB of Q4_K, 285 MB of Q8_0
            MemorySegment q4k = randomQ4K(arena, bigRows, rnd);
            long q8RowBytes = COLS / 32 * 34L;
            MemorySegment q80 = arena.allocate(q8RowBytes * bigRows, 64);
            for (long r = 0; r < (long) bigRows * COLS / 32; r++) {
                q80.set(Bytes.SHORT_LE, r * 34, Float.floatToFloat16(0.01f));
                for (int k = 0; k < 32; k++) {
                    q80.set(ValueLayout.JAVA_BYTE, r * 34 + 2 + k, (byte) rnd.nextInt(-127, 128));
                }
            }
            for (int r = 0; r < 4; r++) {
                float ref = Q4_KKernel.INSTANCE.dotScalar(q4k, r * ROW_BYTES, x, 0, COLS);
                System.out.printf("row %d: scalar %.5f table %.5f convert %.5f%n", r, ref,
                        dots[0].dot(q4k, r * ROW_BYTES, x, 0, COLS), dots[1].dot(q4k, r * ROW_BYTES, x, 0, COLS));
            }
            System.out.printf("%-18s %14s %14s %20s%n", "variant", "cache ns/row", "memory GB/s", threads + " threads GB/s");
            int v = switch (form) {
                case "table" -> 0;
                case "convert" -> 1;
                case "q8_0" -> 2;
                default -> throw new IllegalArgumentException("form must be table, convert or q8_0, got " + form);
            };
            for (int round = 0; round < 4; round++) {
                {
                    MemorySegment m = v == 2 ? q80 : q4k;
                    long rb = v == 2 ? q8RowBytes : ROW_BYTES;
                    double cacheNs = timeRows(dots[v], m, rb, x, 128, 2000) / 128.0 / 2000;
                    double memNs = timeRows(dots[v], m, rb, x, bigRows, 2) / bigRows / 2.0;
                    double parallel = timeParallel(dots[v], m, rb, x, bigRows, threads, 3);
                    System.out.printf("%-18s %14.1f %14.2f %20.2f%n", names[v], cacheNs, rb / memNs, parallel);
                }
            }
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

    // GB/s of weights with `threads` threads, each taking a contiguous slice of the rows
    private static double timeParallel(Dot dot, MemorySegment m, long rowBytes, float[] x, int rows, int threads,
                                       int reps) throws InterruptedException {
        double best = 0;
        for (int rep = 0; rep < reps; rep++) {
            Thread[] ts = new Thread[threads];
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
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

    private static MemorySegment randomQ4K(Arena arena, int rows, SplittableRandom rnd) {
        MemorySegment m = arena.allocate(ROW_BYTES * rows, 64);
        long blocks = (long) rows * COLS / 256;
        byte[] block = new byte[144];
        for (long b = 0; b < blocks; b++) {
            rnd.nextBytes(block);
            MemorySegment.copy(block, 0, m, ValueLayout.JAVA_BYTE, b * 144, 144);
            m.set(Bytes.SHORT_LE, b * 144, Float.floatToFloat16((float) rnd.nextDouble(0.001, 0.02)));
            m.set(Bytes.SHORT_LE, b * 144 + 2, Float.floatToFloat16((float) rnd.nextDouble(0.0005, 0.01)));
        }
        return m;
    }
}
