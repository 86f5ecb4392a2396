package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaKernel;
import dev.pagoda.cuda.CudaModule;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.Dim3;
import dev.pagoda.cuda.KernelArgs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A measurement, not a test: what one grid-wide barrier costs inside a running kernel, against what one
 * kernel boundary costs in a replayed graph, for grids of 1, 2 and 4 blocks per multiprocessor. A
 * persistent decode kernel would trade the second for the first (docs/perf/NOTES.md, decode rounds 11-12).
 * Two barriers ({@code src/test/cuda/grid_barrier_probe.cu}): a generation barrier (atomic arrival, the last
 * block resets the count and bumps a generation the others spin on) and a counter barrier (one release
 * add per block, acquire loads until the count reaches the round's total). Each is first run once with its
 * check on (every block counted in before each barrier); a grid whose blocks do not all fit at once
 * reports its spin limit instead of a time.
 * Run on the GPU host: {@code java -cp pagoda-cuda-ffm.jar:pagoda-cuda-ffm-tests.jar dev.pagoda.cuda.kernels.GridBarrierProbe}.
 */
public final class GridBarrierProbe {
    private static final String PTX = "/dev/pagoda/cuda/probe/grid_barrier_probe.ptx";
    private static final int THREADS = 256;
    private static final int ROUNDS = 1000;
    private static final long SPIN_LIMIT = 1L << 24;
    private static final int GRAPH_LAUNCHES = 256;

    private GridBarrierProbe() {
    }

    public static void main(String[] args) {
        try (Cuda cuda = Cuda.open(); CudaStream stream = cuda.createStream();
                CudaModule module = cuda.loadPtx("grid_barrier_probe.ptx", PtxModules.text(PTX));
                DeviceBuffer flags = cuda.allocate(6 * Integer.BYTES); Arena arena = Arena.ofConfined()) {
            CudaKernel empty = module.kernel("empty_kernel");
            List<CudaKernel> barriers = List.of(module.kernel("grid_barrier_rounds"), module.kernel("counter_barrier_rounds"));
            int sms = cuda.multiprocessorCount();
            System.out.printf("device: %s, %d SMs, %d threads per block%n", cuda.deviceName(), sms, THREADS);
            System.out.printf("%-8s %22s %22s %22s%n", "blocks", "graph kernel boundary", "generation barrier",
                    "counter barrier");
            MemorySegment host = arena.allocate(6 * Integer.BYTES);
            for (int perSm : new int[] {1, 2, 4}) {
                int grid = perSm * sms;
                double launchUs = GraphReplayTiming.microsPerLaunch(cuda, stream, GRAPH_LAUNCHES,
                        i -> empty.launch(Dim3.of(grid), Dim3.of(THREADS), 0, stream,
                                KernelArgs.of().pointer(flags, 5 * Integer.BYTES).i32(-1)));
                StringBuilder row = new StringBuilder(String.format("%-8d %19.2f us", grid, launchUs));
                for (CudaKernel barrier : barriers) {
                    row.append(String.format(" %22s", barrierMicros(cuda, stream, barrier, flags, host, grid)));
                }
                System.out.println(row);
            }
        }
    }

    /**
     * One barrier's cost in microseconds for {@code grid} blocks, after a checked run (every block counted in
     * before each barrier); "not resident", "FAILED" or "timed out" instead of a time when that run or the
     * timed ones say so.
     */
    private static String barrierMicros(Cuda cuda, CudaStream stream, CudaKernel barrier, DeviceBuffer flags,
            MemorySegment host, int grid) {
        // words: 0 count, 1 generation, 2 timed out, 3 arrivals, 4 wrong, 5 sink
        flags.fill32(0);
        barrier.launch(Dim3.of(grid), Dim3.of(THREADS), 0, stream, KernelArgs.of().pointer(flags)
                .pointer(flags, 4).i32(ROUNDS).i64(SPIN_LIMIT).pointer(flags, 8).pointer(flags, 12).pointer(flags, 16));
        stream.synchronize();
        flags.copyToHost(host);
        boolean timedOut = host.getAtIndex(ValueLayout.JAVA_INT, 2) != 0;
        int arrivals = host.getAtIndex(ValueLayout.JAVA_INT, 3);
        boolean wrong = host.getAtIndex(ValueLayout.JAVA_INT, 4) != 0;
        if (timedOut) {
            return "not resident";
        }
        if (wrong || arrivals != ROUNDS * grid) {
            return "FAILED";
        }
        double one = millis(cuda, stream, barrier, flags, grid, 1);
        double many = millis(cuda, stream, barrier, flags, grid, ROUNDS + 1);
        flags.copyToHost(host);
        if (host.getAtIndex(ValueLayout.JAVA_INT, 2) != 0) {
            return "timed out";
        }
        return String.format("%.2f us", (many - one) * 1e3 / ROUNDS);
    }

    /** Median of 9 timed launches of {@code rounds} barriers (after one warm-up), in milliseconds, check off. */
    private static double millis(Cuda cuda, CudaStream stream, CudaKernel barrier, DeviceBuffer flags, int grid, int rounds) {
        KernelArgs args = KernelArgs.of().pointer(flags).pointer(flags, 4).i32(rounds).i64(SPIN_LIMIT).pointer(flags, 8)
                .nullPointer().nullPointer();
        // the counter barrier's count only grows within a launch: zeroed before each
        return GraphReplayTiming.medianMillis(cuda, stream, 1, () -> flags.fill32(0),
                () -> barrier.launch(Dim3.of(grid), Dim3.of(THREADS), 0, stream, args));
    }
}
