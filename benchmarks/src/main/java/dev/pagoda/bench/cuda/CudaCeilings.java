package dev.pagoda.bench.cuda;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.HostRegistration;
import dev.pagoda.cuda.PinnedHostBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The physical ceilings the CUDA kernels and the tiering are measured against: device-to-device copy
 * bandwidth (bytes read + written), and host-to-device / device-to-host bandwidth from pinned,
 * registered (cuMemHostRegister of ordinary memory) and pageable memory, each a large transfer timed
 * with events, median of repeats.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp <cuda-ffm jar>:<bench classes>
 * dev.pagoda.bench.cuda.CudaCeilings [MiB]} (default 1024 MiB).
 */
public final class CudaCeilings {
    private CudaCeilings() {
    }

    /** Measured ceilings in GB/s (10^9 bytes per second). */
    public record Ceilings(double deviceCopy, double pinnedToDevice, double deviceToPinned, double registeredToDevice,
                           double pageableToDevice) {
    }

    public static void main(String[] args) {
        long bytes = (args.length > 0 ? Long.parseLong(args[0]) : 1024) << 20;
        try (Cuda cuda = Cuda.open()) {
            System.out.printf("device: %s (cc %s, %d SMs, driver %d)%n", cuda.deviceName(), cuda.computeCapability(),
                    cuda.multiprocessorCount(), cuda.driverVersion());
            Ceilings c = measure(cuda, bytes);
            System.out.printf("ceiling  d2d copy (read+write)   %8.1f GB/s%n", c.deviceCopy());
            System.out.printf("ceiling  h2d pinned              %8.1f GB/s%n", c.pinnedToDevice());
            System.out.printf("ceiling  d2h pinned              %8.1f GB/s%n", c.deviceToPinned());
            System.out.printf("ceiling  h2d registered          %8.1f GB/s%n", c.registeredToDevice());
            System.out.printf("ceiling  h2d pageable            %8.1f GB/s%n", c.pageableToDevice());
        }
    }

    public static Ceilings measure(Cuda cuda, long bytes) {
        try (CudaStream stream = cuda.createStream(); EventTimer timer = new EventTimer(cuda, stream);
             DeviceBuffer a = cuda.allocate(bytes); DeviceBuffer b = cuda.allocate(bytes);
             PinnedHostBuffer pinned = cuda.allocatePinned(bytes); Arena arena = Arena.ofShared()) {
            fillNonZero(pinned.segment());
            a.copyFromHost(pinned.segment());
            double d2d = gbps(2 * bytes, timer.medianMillis(3, 20, () -> b.copyFromDeviceAsync(a, 0, 0, bytes, stream)));
            double h2d = gbps(bytes, timer.medianMillis(2, 10, () -> a.copyFromHostAsync(pinned.segment(), 0, stream)));
            double d2h = gbps(bytes, timer.medianMillis(2, 10, () -> a.copyToHostAsync(pinned.segment(), 0, stream)));
            MemorySegment ordinary = arena.allocate(bytes, 4096);
            fillNonZero(ordinary);
            double pageable = gbps(bytes, timer.medianMillis(2, 5, () -> a.copyFromHostAsync(ordinary, 0, stream)));
            double registered;
            try (HostRegistration reg = cuda.register(ordinary)) {
                registered = gbps(bytes, timer.medianMillis(2, 10, () -> a.copyFromHostAsync(reg.segment(), 0, stream)));
            }
            return new Ceilings(d2d, h2d, d2h, registered, pageable);
        }
    }

    private static void fillNonZero(MemorySegment s) {
        long n = s.byteSize() / 8;
        long x = 0x9E3779B97F4A7C15L;
        for (long i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            s.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i, x);
        }
    }

    static double gbps(long bytes, double millis) {
        return bytes / (millis * 1e-3) / 1e9;
    }
}
