package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.DeviceBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Timestamps of the ring matvec launches ({@link RingMatVec}) of a captured step, taken on the device when the
 * graph is replayed ({@code ring_trace.cuh}, {@code %globaltimer}): where each launch's blocks became resident,
 * when its programmatic wait returned and when its last block ended. A measuring aid for a GPU host without Nsight
 * Systems: attach it to the matvec launchers while capturing ({@link MatVec#traceRing}), then per replay
 * {@link #clear}, replay, {@link #read}.
 */
public final class RingTrace implements AutoCloseable {
    private static final long SLOT_BYTES = 64;

    /**
     * One traced launch: its weight formats ("Q4_K", or "Q4_K+Q6_K" for q4_K matrices followed by a q6_K one), rows
     * (all matrices of a grouped launch) and columns, and weight bytes.
     */
    public record Launch(String formats, int rows, int cols, long bytes) {
    }

    /**
     * One launch's times in one replay (ns of the device's global timer): its first block resident, block 0
     * resident, block 0 past its programmatic wait, its last block ended; and block 0's run in parts: x staged,
     * its first chunk of weights in hand, its own end.
     */
    public record Times(Launch launch, long firstResident, long block0Resident, long waited, long end,
                        long block0Staged, long block0FirstChunk, long block0End) {
    }

    private final DeviceBuffer stamps;
    private final int maxLaunches;
    private final List<Launch> launches = new ArrayList<>();

    private RingTrace(DeviceBuffer stamps, int maxLaunches) {
        this.stamps = stamps;
        this.maxLaunches = maxLaunches;
    }

    /** A trace of at most {@code maxLaunches} ring launches. */
    public static RingTrace open(Cuda cuda, int maxLaunches) {
        if (maxLaunches < 1) {
            throw new IllegalArgumentException("maxLaunches must be at least 1, got " + maxLaunches);
        }
        return new RingTrace(cuda.allocate(SLOT_BYTES * maxLaunches), maxLaunches);
    }

    /** Records a launch and returns the byte offset of its slot in {@link #buffer()}. */
    long slot(String formats, int rows, int cols, long bytes) {
        if (launches.size() == maxLaunches) {
            throw new IllegalStateException("more than " + maxLaunches + " ring launches traced");
        }
        launches.add(new Launch(formats, rows, cols, bytes));
        return SLOT_BYTES * (launches.size() - 1);
    }

    DeviceBuffer buffer() {
        return stamps;
    }

    /** The launches recorded, in launch order. */
    public List<Launch> launches() {
        return List.copyOf(launches);
    }

    /** Zeroes the stamps (and waits), before a replay. */
    public void clear() {
        stamps.fill32(0);
    }

    /** Copies the stamps of the last replay back (the caller has waited for it). */
    public List<Times> read() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(SLOT_BYTES * maxLaunches, 8);
            stamps.copyToHost(host);
            List<Times> times = new ArrayList<>(launches.size());
            for (int i = 0; i < launches.size(); i++) {
                long base = SLOT_BYTES * i;
                long end = host.get(ValueLayout.JAVA_LONG, base + 16);
                if (end == 0) {
                    throw new IllegalStateException("ring launch " + i + " " + launches.get(i) + " left no stamps: "
                            + "was the step replayed after clear()?");
                }
                times.add(new Times(launches.get(i), ~host.get(ValueLayout.JAVA_LONG, base + 24),
                        host.get(ValueLayout.JAVA_LONG, base), host.get(ValueLayout.JAVA_LONG, base + 8), end,
                        host.get(ValueLayout.JAVA_LONG, base + 32), host.get(ValueLayout.JAVA_LONG, base + 40),
                        host.get(ValueLayout.JAVA_LONG, base + 48)));
            }
            return times;
        }
    }

    @Override
    public void close() {
        stamps.close();
    }
}
