package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaEvent;
import dev.pagoda.cuda.CudaGraph;
import dev.pagoda.cuda.CudaStream;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * How the tuning sweeps and probes time GPU work: the median of event-timed runs, and a launch as the decode
 * step runs it, inside a replayed CUDA graph.
 */
final class GraphReplayTiming {
    private GraphReplayTiming() {
    }

    /**
     * Captures {@code count} launches (launch i queued by {@code launch.accept(i)} on {@code stream}) into
     * one graph, replays it twice to warm up, then returns the median of 9 replays per launch, in
     * microseconds.
     */
    static double microsPerLaunch(Cuda cuda, CudaStream stream, int count, IntConsumer launch) {
        stream.beginCapture();
        for (int i = 0; i < count; i++) {
            launch.accept(i);
        }
        try (CudaGraph graph = stream.endCapture()) {
            return medianMillis(cuda, stream, 2, () -> { }, () -> graph.launch(stream)) * 1e3 / count;
        }
    }

    /**
     * Runs {@code work} {@code warmups} times, then returns the median of 9 event-timed runs in milliseconds;
     * {@code setUp} runs before each run, outside the timed span (e.g. resetting a counter the work consumes).
     */
    static double medianMillis(Cuda cuda, CudaStream stream, int warmups, Runnable setUp, Runnable work) {
        try (CudaEvent start = cuda.createEvent(); CudaEvent end = cuda.createEvent()) {
            for (int i = 0; i < warmups; i++) {
                setUp.run();
                work.run();
            }
            double[] ms = new double[9];
            for (int r = 0; r < ms.length; r++) {
                setUp.run();
                start.record(stream);
                work.run();
                end.record(stream);
                end.synchronize();
                ms[r] = end.elapsedMillisSince(start);
            }
            Arrays.sort(ms);
            return ms[ms.length / 2];
        }
    }
}
