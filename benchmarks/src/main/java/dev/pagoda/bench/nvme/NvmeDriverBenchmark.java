package dev.pagoda.bench.nvme;

import dev.pagoda.nvme.driver.ControllerOptions;
import dev.pagoda.nvme.driver.NvmeController;
import dev.pagoda.nvme.driver.RegisterFile;
import dev.pagoda.nvme.sim.SimulatedController;
import dev.pagoda.nvme.sim.SimulatedDma;
import dev.pagoda.nvme.source.NamespaceReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * The NVMe driver's own cost per 128 KiB read, against the in-process register-level simulator:
 * submit (entry, PRP list, fence, doorbell), poll (phase tag, head doorbell) and the copy out of
 * the bounce slot. The simulator's worker thread does its own 128 KiB copy on a second core, so
 * each op also pays one cross-core handoff; this is CPU cost, not a device number. Run with
 * -prof gc or time per op x cores busy for CPU time per read.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class NvmeDriverBenchmark {
    /** Commands kept in flight by the reader. */
    @Param({"1", "8"})
    public int queueDepth;

    private static final long READ = 128 * 1024;
    private Arena arena;
    private SimulatedDma dma;
    private SimulatedController device;
    private NvmeController controller;
    private NamespaceReader reader;
    private MemorySegment dst;
    private long offset;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        arena = Arena.ofShared();
        MemorySegment media = arena.allocate(64L << 20, 4096);
        dma = new SimulatedDma();
        device = new SimulatedController(SimulatedController.Config.qemuLike("BENCH"), dma, media);
        controller = NvmeController.start(new RegisterFile(device.bar0()), dma, ControllerOptions.defaults());
        reader = new NamespaceReader(controller, 1, 0, queueDepth, READ);
        dst = arena.allocate(READ * queueDepth, 4096);
    }

    /** One read of queueDepth x 128 KiB, issued as queueDepth commands in flight together. */
    @Benchmark
    public long read() throws Exception {
        reader.read(offset, dst, dst.byteSize());
        offset = (offset + dst.byteSize()) % (32L << 20);
        return offset;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        controller.close();
        device.close();
        dma.close();
        arena.close();
    }
}
