package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaEvent;
import dev.pagoda.cuda.CudaKernel;
import dev.pagoda.cuda.CudaModule;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.Dim3;
import dev.pagoda.cuda.KernelArgs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A measurement, not a test: what one grid-wide barrier costs inside a running kernel, against what one
 * kernel boundary costs in a replayed graph, for grids of 1, 2 and 4 blocks per multiprocessor. A
 * persistent decode kernel would trade the second for the first (docs/perf/NOTES.md, decode round 11).
 * The barrier kernel ({@code src/test/cuda/grid_barrier_probe.cu}) is first run once with its check on
 * (every block counted in before each barrier); a grid whose blocks do not all fit at once reports its
 * spin limit instead of a time.
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
            CudaKernel barrier = module.kernel("grid_barrier_rounds");
            CudaKernel empty = module.kernel("empty_kernel");
            int sms = cuda.multiprocessorCount();
            System.out.printf("device: %s, %d SMs, %d threads per block%n", cuda.deviceName(), sms, THREADS);
            System.out.printf("%-8s %22s %20s %8s%n", "blocks", "graph kernel boundary", "grid barrier", "check");
            MemorySegment host = arena.allocate(6 * Integer.BYTES);
            for (int perSm : new int[] {1, 2, 4}) {
                int grid = perSm * sms;
                double launchUs = GraphReplayTiming.microsPerLaunch(cuda, stream, GRAPH_LAUNCHES,
                        i -> empty.launch(Dim3.of(grid), Dim3.of(THREADS), 0, stream,
                                KernelArgs.of().pointer(flags, 5 * Integer.BYTES).i32(-1)));
                // words: 0 count, 1 generation, 2 timed out, 3 arrivals, 4 wrong, 5 sink
                flags.fill32(0);
                barrier.launch(Dim3.of(grid), Dim3.of(THREADS), 0, stream, KernelArgs.of().pointer(flags)
                        .pointer(flags, 4).i32(ROUNDS).i64(SPIN_LIMIT).pointer(flags, 8).pointer(flags, 12).pointer(flags, 16));
                stream.synchronize();
                flags.copyToHost(host);
                boolean timedOut = host.getAtIndex(ValueLayout.JAVA_INT, 2) != 0;
                int arrivals = host.getAtIndex(ValueLayout.JAVA_INT, 3);
                boolean wrong = host.getAtIndex(ValueLayout.JAVA_INT, 4) != 0;
                String check = timedOut ? "not resident" : wrong || arrivals != ROUNDS * grid ? "FAILED" : "ok";
                if (!check.equals("ok")) {
                    System.out.printf("%-8d %19.2f us %20s %8s%n", grid, launchUs, "-", check);
                    continue;
                }
                double one = millis(cuda, stream, barrier, flags, grid, 1);
                double many = millis(cuda, stream, barrier, flags, grid, ROUNDS + 1);
                flags.copyToHost(host);
                String after = host.getAtIndex(ValueLayout.JAVA_INT, 2) != 0 ? "timed out" : "ok";
                System.out.printf("%-8d %19.2f us %17.2f us %8s%n", grid, launchUs, (many - one) * 1e3 / ROUNDS, after);
            }
        }
    }

    /** Median of 9 timed launches of {@code rounds} barriers (after one warm-up), in milliseconds, check off. */
    private static double millis(Cuda cuda, CudaStream stream, CudaKernel barrier, DeviceBuffer flags, int grid, int rounds) {
        KernelArgs args = KernelArgs.of().pointer(flags).pointer(flags, 4).i32(rounds).i64(SPIN_LIMIT).pointer(flags, 8)
                .nullPointer().nullPointer();
        try (CudaEvent start = cuda.createEvent(); CudaEvent end = cuda.createEvent()) {
            barrier.launch(Dim3.of(grid), Dim3.of(THREADS), 0, stream, args);
            double[] ms = new double[9];
            for (int r = 0; r < ms.length; r++) {
                start.record(stream);
                barrier.launch(Dim3.of(grid), Dim3.of(THREADS), 0, stream, args);
                end.record(stream);
                end.synchronize();
                ms[r] = end.elapsedMillisSince(start);
            }
            Arrays.sort(ms);
            return ms[ms.length / 2];
        }
    }
}
