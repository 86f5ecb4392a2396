package dev.pagoda.bench.quant;

import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.quant.Dequantizer;
import dev.pagoda.gguf.quant.Dequantizers;
import dev.pagoda.gguf.quant.Fp16;
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
 * Single-core dequantization throughput, the way the engine uses it: a quantized weight matrix
 * larger than L2 (16 MiB) streamed row by row (4096 values per row) into one reused float row.
 * One op = the whole 16 MiB; GB/s of quantized input = {@code bytes} / (time per op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class DequantizeBenchmark {
    private static final ValueLayout.OfShort F16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int ROW = 4096;

    @Param({"Q4_K", "Q6_K", "Q8_0"})
    public String type;

    @Param({"vector", "scalar"})
    public String path;

    /** Bytes of quantized input, rounded down to whole rows. */
    @Param({"16777216"})
    public long bytes;

    private Arena arena;
    private MemorySegment weights;
    private float[] row;
    private Dequantizer dequantizer;
    private long rowBytes;
    private int rows;
    private int blocksPerRow;

    @Setup(Level.Trial)
    public void setUp() {
        GgmlType t = GgmlType.valueOf(type);
        if (path.equals("vector") && !Dequantizers.vectorized()) {
            throw new IllegalStateException("the Vector API path is not active in this JVM");
        }
        dequantizer = path.equals("vector") ? Dequantizers.fast(t) : Dequantizers.scalar(t);
        rowBytes = t.byteSize(ROW);
        rows = (int) (bytes / rowBytes);
        blocksPerRow = ROW / t.blockSize();
        arena = Arena.ofShared();
        weights = arena.allocate(rows * rowBytes, 64);
        SplittableRandom random = new SplittableRandom(42);
        byte[] chunk = new byte[(int) rowBytes];
        for (int r = 0; r < rows; r++) {
            random.nextBytes(chunk);
            MemorySegment.copy(chunk, 0, weights, ValueLayout.JAVA_BYTE, r * rowBytes, chunk.length);
        }
        int[] halfFields = switch (t) {
            case Q4_K -> new int[] {0, 2};
            case Q6_K -> new int[] {208};
            case Q8_0 -> new int[] {0};
            default -> throw new IllegalArgumentException(type);
        };
        long blocks = rows * (long) blocksPerRow;
        for (long b = 0; b < blocks; b++) {
            for (int field : halfFields) {
                weights.set(F16, b * t.typeSize() + field, Fp16.fromFloat((float) (random.nextGaussian() * 0.01)));
            }
        }
        row = new float[ROW];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float[] dequantizeAllRows() {
        for (int r = 0; r < rows; r++) {
            dequantizer.dequantize(weights, r * rowBytes, row, 0, blocksPerRow);
        }
        return row;
    }
}
