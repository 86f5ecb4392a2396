package dev.pagoda.core.cuda;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaEvent;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import java.util.Arrays;

/**
 * The device's copy bandwidth, the bound a resident decode step is measured against (it must read
 * every weight byte once per token): a large device-to-device copy timed with events, bytes read
 * plus bytes written over the median time, as {@code CudaCeilings} measures it.
 */
public final class DeviceCopyBandwidth {
    private DeviceCopyBandwidth() {}

    /** Bytes per second (read + written) of copying {@code bytes} on the device, median of {@code repeats}. */
    public static double measure(Cuda cuda, long bytes, int repeats) {
        try (CudaStream stream = cuda.createStream(); CudaEvent start = cuda.createEvent();
                CudaEvent stop = cuda.createEvent(); DeviceBuffer a = cuda.allocate(bytes);
                DeviceBuffer b = cuda.allocate(bytes)) {
            a.fill32Async(0x3c003c00, stream);
            b.copyFromDeviceAsync(a, 0, 0, bytes, stream);
            double[] millis = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                start.record(stream);
                b.copyFromDeviceAsync(a, 0, 0, bytes, stream);
                stop.record(stream);
                stop.synchronize();
                millis[i] = stop.elapsedMillisSince(start);
            }
            Arrays.sort(millis);
            return 2.0 * bytes / (millis[repeats / 2] * 1e-3);
        }
    }
}
