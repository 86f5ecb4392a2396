package dev.pagoda.core.cuda;

import dev.pagoda.cuda.CudaEvent;
import dev.pagoda.cuda.CudaStream;
import java.util.Arrays;

/** How the profiling tools time queued work: warm-up runs, then the median of event-timed runs. */
final class EventMedian {
    private EventMedian() {
    }

    /** Runs {@code work} {@code warmups} times, then returns the median of {@code repeats} event-timed runs, in ms. */
    static double millis(CudaStream s, CudaEvent start, CudaEvent end, int warmups, int repeats, Runnable work) {
        for (int i = 0; i < warmups; i++) {
            work.run();
        }
        s.synchronize();
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            start.record(s);
            work.run();
            end.record(s);
            end.synchronize();
            ms[i] = end.elapsedMillisSince(start);
        }
        Arrays.sort(ms);
        return ms[repeats / 2];
    }
}
