package dev.pagoda.core.cpu;

import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * A measuring tool, not a test: the CPU prefill path's rate in GFLOP/s (2 per weight per token), six
 * rounds (the first ones warm up). Two forms, one per JVM (see {@link RowDotRates} on why):
 * <ul>
 *   <li>{@code tile N TOKENS}: {@link FloatDot#dot4x4} alone on one thread, a 4 x N weight tile and
 *       TOKENS activation rows of N floats, all in cache: the multiply-add loop and its lane sums.</li>
 *   <li>{@code matmul TYPE ROWS COLS BATCH [THREADS]}: {@link CpuMatmul#matmul} of a random
 *       ROWS x COLS matrix of TYPE ({@link RandomWeights}) with BATCH tokens: dequantized slices, tile
 *       and stores, on a {@link WorkerPool} of THREADS (default 1).</li>
 * </ul>
 * Run: {@code java --add-modules jdk.incubator.vector -cp core.jar:core-tests.jar:gguf.jar
 * dev.pagoda.core.cpu.PrefillRates tile 1024 64}.
 */
public final class PrefillRates {
    private static volatile float sink;

    private PrefillRates() {
    }

    public static void main(String[] args) {
        if (args.length >= 3 && args[0].equals("tile")) {
            tile(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        } else if (args.length >= 5 && args[0].equals("matmul")) {
            matmul(GgmlType.valueOf(args[1].toUpperCase(java.util.Locale.ROOT)), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    args.length > 5 ? Integer.parseInt(args[5]) : 1);
        } else {
            throw new IllegalArgumentException("usage: tile N TOKENS | matmul TYPE ROWS COLS BATCH [THREADS]");
        }
    }

    private static void tile(int n, int tokens) {
        if (tokens < 4 || tokens % 4 != 0) {
            throw new IllegalArgumentException("TOKENS must be a positive multiple of 4, got " + tokens);
        }
        Random rnd = new Random(1);
        float[] w = RandomWeights.gaussian(4 * n, rnd);
        float[] x = RandomWeights.gaussian(tokens * n, rnd);
        float[] sums = new float[FloatDot.DOT4X4_SUMS];
        long reps = Math.max(1, 2_000_000_000L / (8L * n * tokens));
        for (int round = 0; round < 6; round++) {
            float s = 0;
            long t0 = System.nanoTime();
            for (long rep = 0; rep < reps; rep++) {
                for (int b = 0; b < tokens; b += 4) {
                    FloatDot.dot4x4(w, n, x, b * n, n, sums, 0);
                    s += sums[5];
                }
            }
            long ns = System.nanoTime() - t0;
            sink = s;
            System.out.printf("tile n %d tokens %d round %d: %.1f GFLOP/s%n", n, tokens, round,
                    8.0 * n * tokens * reps / ns);
        }
    }

    private static void matmul(GgmlType type, int rows, int cols, int batch, int threads) {
        Random rnd = new Random(1);
        MemorySegment m = RandomWeights.rows(type, rows, cols, rnd);
        WeightTensor w = new WeightTensor("w", type, rows, cols, m);
        float[] x = RandomWeights.gaussian(batch * cols, rnd);
        float[] out = new float[batch * rows];
        int reps = (int) Math.max(1, 4_000_000_000L / (2L * rows * cols * batch));
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (int round = 0; round < 6; round++) {
                long t0 = System.nanoTime();
                for (int rep = 0; rep < reps; rep++) {
                    CpuMatmul.matmul(pool, w, x, batch, out);
                }
                long ns = System.nanoTime() - t0;
                sink = out[out.length / 2];
                System.out.printf("matmul %s %dx%d batch %d threads %d round %d: %.1f GFLOP/s%n", type, rows, cols,
                        batch, threads, round, 2.0 * rows * cols * batch * reps / ns);
            }
        }
    }
}
