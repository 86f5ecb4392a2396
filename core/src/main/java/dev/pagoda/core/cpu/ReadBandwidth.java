package dev.pagoda.core.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.DoubleAdder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measured read bandwidth of main memory with a given number of threads: each thread sums its
 * share of a buffer much larger than the caches. This is the ceiling for decode, which must
 * read every weight byte once per token.
 */
public final class ReadBandwidth {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;

    private ReadBandwidth() {}

    /** Best of {@code repeats} passes over {@code bytes} bytes, in bytes per second. */
    public static double measure(WorkerPool pool, long bytes, int repeats) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(bytes, 64);
            for (long i = 0; i < bytes; i += 8) {
                buf.set(ValueLayout.JAVA_LONG_UNALIGNED, i, i);
            }
            int chunks = (int) (bytes / (1 << 20));
            double best = 0;
            DoubleAdder sink = new DoubleAdder();
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                pool.forEachRange(chunks, (from, to) -> {
                    // four independent sums so the adds' latency does not bound the reads
                    FloatVector a0 = FloatVector.zero(F);
                    FloatVector a1 = FloatVector.zero(F);
                    FloatVector a2 = FloatVector.zero(F);
                    FloatVector a3 = FloatVector.zero(F);
                    for (long o = (long) from << 20, end = (long) to << 20; o < end; o += 128) {
                        a0 = a0.add(FloatVector.fromMemorySegment(F, buf, o, ByteOrder.LITTLE_ENDIAN));
                        a1 = a1.add(FloatVector.fromMemorySegment(F, buf, o + 32, ByteOrder.LITTLE_ENDIAN));
                        a2 = a2.add(FloatVector.fromMemorySegment(F, buf, o + 64, ByteOrder.LITTLE_ENDIAN));
                        a3 = a3.add(FloatVector.fromMemorySegment(F, buf, o + 96, ByteOrder.LITTLE_ENDIAN));
                    }
                    sink.add(a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD));
                });
                long dt = System.nanoTime() - t0;
                best = Math.max(best, (double) chunks * (1 << 20) / (dt * 1e-9));
            }
            if (sink.sum() == 42.4242) {
                System.out.print("");
            }
            return best;
        }
    }
}
