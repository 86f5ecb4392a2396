package dev.pagoda.bench.cpu;

import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.core.cpu.CpuMatmul;
import dev.pagoda.core.cpu.WorkerPool;
import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU matmul's compute rate on {@code threads} threads: a 2048 × 2048 weight matrix (0.6–2.2 MB, mostly
 * cache-resident, so this measures unpacking and multiply-adds, not memory) times {@code batch}
 * tokens. ns per weight per token = time per op / (2048 · 2048 · batch). batch 1 is decode's
 * fused row dot, larger batches the tiled prefill path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class MatmulBenchmark {
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int N = 2048;

    @Param({"Q8_0", "Q4_K", "Q6_K"})
    public String type;

    @Param({"1", "16"})
    public int batch;

    /** Threads sharing each product (the caller included). */
    @Param({"1"})
    public int threads;

    private Arena arena;
    private WorkerPool pool;
    private WeightTensor weights;
    private float[] x;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        GgmlType t = GgmlType.valueOf(type);
        SplittableRandom rnd = new SplittableRandom(7);
        arena = Arena.ofShared();
        long bytes = t.byteSize((long) N * N);
        MemorySegment data = arena.allocate(bytes, 64);
        for (long i = 0; i < bytes; i++) {
            data.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
        }
        // finite, normal block scales (random bytes could be NaN, infinite or subnormal halves)
        long blocks = (long) N * N / t.blockSize();
        for (long b = 0; b < blocks; b++) {
            long o = b * t.typeSize();
            switch (t) {
                case Q8_0, Q4_0, Q5_0 -> data.set(F16, o, Float.floatToFloat16(0.01f));
                case Q4_1, Q5_1 -> {
                    data.set(F16, o, Float.floatToFloat16(0.01f));
                    data.set(F16, o + 2, Float.floatToFloat16(-0.05f));
                }
                case Q2_K -> {
                    data.set(F16, o + 80, Float.floatToFloat16(0.01f));
                    data.set(F16, o + 82, Float.floatToFloat16(0.002f));
                }
                case Q3_K -> data.set(F16, o + 108, Float.floatToFloat16(0.01f));
                case Q4_K, Q5_K -> {
                    data.set(F16, o, Float.floatToFloat16(0.01f));
                    data.set(F16, o + 2, Float.floatToFloat16(0.002f));
                }
                case Q6_K -> data.set(F16, o + 208, Float.floatToFloat16(0.01f));
                default -> throw new IllegalArgumentException("no scale layout for " + t);
            }
        }
        weights = new WeightTensor("w", t, N, N, data);
        x = new float[batch * N];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        out = new float[batch * N];
        pool = new WorkerPool(threads);
    }

    @Benchmark
    public float[] matmul() {
        CpuMatmul.matmul(pool, weights, x, batch, out);
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }
}
