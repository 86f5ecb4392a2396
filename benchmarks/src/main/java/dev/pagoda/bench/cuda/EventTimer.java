package dev.pagoda.bench.cuda;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaEvent;
import dev.pagoda.cuda.CudaStream;

import java.util.Arrays;

/**
 * Times device work with events around each repetition (after warm-up) and reports the median, so
 * that module loading, JIT compilation and first-touch costs stay out of the numbers.
 */
final class EventTimer implements AutoCloseable {
    private final CudaStream stream;
    private final CudaEvent start;
    private final CudaEvent end;

    EventTimer(Cuda cuda, CudaStream stream) {
        this.stream = stream;
        this.start = cuda.createEvent();
        this.end = cuda.createEvent();
    }

    /** Median milliseconds of {@code work} (queued on the stream) over {@code repeats}, after {@code warmups}. */
    double medianMillis(int warmups, int repeats, Runnable work) {
        for (int i = 0; i < warmups; i++) {
            work.run();
        }
        stream.synchronize();
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            start.record(stream);
            work.run();
            end.record(stream);
            end.synchronize();
            ms[i] = end.elapsedMillisSince(start);
        }
        Arrays.sort(ms);
        return ms[repeats / 2];
    }

    @Override
    public void close() {
        start.close();
        end.close();
    }
}
