package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.DeviceBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helpers: arrays to and from the device, NaN poisoning, and the relative-error check of METHOD.md. */
final class DeviceArrays {
    /** A quiet NaN's bits: outputs are filled with it before each run so unwritten elements show. */
    static final int NAN_BITS = 0x7fc00000;

    private DeviceArrays() {
    }

    static DeviceBuffer upload(Cuda cuda, byte[] data) {
        DeviceBuffer d = cuda.allocate(data.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(data.length);
            MemorySegment.copy(data, 0, s, ValueLayout.JAVA_BYTE, 0, data.length);
            d.copyFromHost(s);
        }
        return d;
    }

    static DeviceBuffer upload(Cuda cuda, float[] data) {
        DeviceBuffer d = cuda.allocate((long) data.length * Float.BYTES);
        try (Arena arena = Arena.ofConfined()) {
            d.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_FLOAT, data));
        }
        return d;
    }

    static DeviceBuffer upload(Cuda cuda, int[] data) {
        DeviceBuffer d = cuda.allocate((long) data.length * Integer.BYTES);
        try (Arena arena = Arena.ofConfined()) {
            d.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_INT, data));
        }
        return d;
    }

    /** A float32 output buffer of n elements, filled with NaN. */
    static DeviceBuffer poisoned(Cuda cuda, long n) {
        DeviceBuffer d = cuda.allocate(n * Float.BYTES);
        d.fill32(NAN_BITS);
        return d;
    }

    static float[] downloadFloats(DeviceBuffer d, int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate((long) n * Float.BYTES);
            d.copyToHost(s);
            return s.toArray(ValueLayout.JAVA_FLOAT);
        }
    }

    static short[] downloadShorts(DeviceBuffer d, int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate((long) n * Short.BYTES);
            d.copyToHost(s);
            return s.toArray(ValueLayout.JAVA_SHORT);
        }
    }

    static int[] downloadInts(DeviceBuffer d, int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate((long) n * Integer.BYTES);
            d.copyToHost(s);
            return s.toArray(ValueLayout.JAVA_INT);
        }
    }

    /** ||out - ref|| / ||ref||, after asserting every element was written and is finite. */
    static double relativeError(double[] ref, float[] out, String what) {
        assertThat(out).as("%s: output length", what).hasSize(ref.length);
        double num = 0;
        double den = 0;
        for (int i = 0; i < ref.length; i++) {
            assertThat(Float.isFinite(out[i])).as("%s: element %d is %s (unwritten or overflowed)", what, i, out[i]).isTrue();
            double d = out[i] - ref[i];
            num += d * d;
            den += ref[i] * ref[i];
        }
        assertThat(den).as("%s: reference is all zeros", what).isPositive();
        return Math.sqrt(num / den);
    }

    static void assertClose(double[] ref, float[] out, double tolerance, String what) {
        double err = relativeError(ref, out, what);
        assertThat(err).as("%s: relative L2 error", what).isLessThan(tolerance);
    }
}
