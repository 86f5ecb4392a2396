package dev.pagoda.core.hybrid;

import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.core.cpu.CpuMatmul;
import dev.pagoda.core.cpu.RowKernel;
import dev.pagoda.core.cpu.WorkerPool;
import dev.pagoda.core.tier.RateCacheFile;
import dev.pagoda.gguf.GgmlType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures {@link HostMatvecRates} on the real CPU kernels ({@link CpuMatmul} with one token, i.e.
 * each format's fused {@link RowKernel#dot}) over a matrix larger than the caches, and keeps the
 * result in a properties file keyed by CPU model, thread count and type, so a machine measures
 * once ({@code ~/.cache/pagoda/calibration.properties} by default).
 */
public final class HostMatvecCalibration {
    /** Big enough to stream from RAM rather than the last-level cache of a server CPU. */
    public static final long DEFAULT_MATRIX_BYTES = 64L << 20;
    private static final int COLS = 4096;
    private static final int RUNS = 3;

    private final Path cacheFile;
    private final long matrixBytes;

    /** Calibration cached in {@code cacheFile}, measuring over matrices of about {@code matrixBytes}. */
    public HostMatvecCalibration(Path cacheFile, long matrixBytes) {
        this.cacheFile = cacheFile;
        this.matrixBytes = matrixBytes;
    }

    /** The default cache file, {@code ~/.cache/pagoda/calibration.properties}. */
    public static HostMatvecCalibration cached() {
        return new HostMatvecCalibration(RateCacheFile.standardPath("calibration.properties"), DEFAULT_MATRIX_BYTES);
    }

    /** Rates of {@code types} with {@code threads} threads: cached ones read, the others measured and stored. */
    public HostMatvecRates rates(Iterable<GgmlType> types, int threads) {
        RateCacheFile cache = RateCacheFile.load(cacheFile, "calibration cache");
        Map<GgmlType, Double> rates = new EnumMap<>(GgmlType.class);
        boolean measured = false;
        for (GgmlType type : types) {
            String key = key(type, threads);
            double rate = cache.get(key);
            if (!(rate > 0)) {
                rate = measure(type, threads, matrixBytes);
                cache.put(key, rate);
                measured = true;
            }
            rates.put(type, rate);
        }
        if (measured) {
            cache.store("Pagoda host matvec rates, bytes/s (delete to measure again)");
        }
        return new HostMatvecRates(rates);
    }

    /** Best of a few timed single-token products over a matrix of about {@code bytes} of {@code type}. */
    public static double measure(GgmlType type, int threads, long bytes) {
        long rowBytes = type.byteSize(COLS);
        int rows = (int) Math.max(64, bytes / rowBytes);
        float[] x = new float[COLS];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < COLS; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        float[] out = new float[rows];
        try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(threads)) {
            // zero blocks: every format decodes them (scales 0), and timing does not depend on the values
            MemorySegment data = arena.allocate(rowBytes * rows, 64);
            WeightTensor w = new WeightTensor("calibration", type, rows, COLS, data);
            CpuMatmul.matmul(pool, w, x, 1, out);
            long best = Long.MAX_VALUE;
            for (int run = 0; run < RUNS; run++) {
                long t0 = System.nanoTime();
                CpuMatmul.matmul(pool, w, x, 1, out);
                best = Math.min(best, System.nanoTime() - t0);
            }
            return w.byteSize() * 1e9 / Math.max(1, best);
        }
    }

    /** The cache key: CPU model, threads and type, so another machine or thread count measures again. */
    static String key(GgmlType type, int threads) {
        return "host-matvec." + cpuModel().replaceAll("[^A-Za-z0-9]+", "_") + ".threads" + threads + "." + type;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture and processor count stand in for the model
        }
        return System.getProperty("os.arch") + "-" + Runtime.getRuntime().availableProcessors() + "cpu";
    }
}
