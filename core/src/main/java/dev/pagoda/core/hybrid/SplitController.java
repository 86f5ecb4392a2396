package dev.pagoda.core.hybrid;

import dev.pagoda.core.tier.RowShare;
import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.TensorInfo;

/**
 * The device's share of every streamed matrix, per weight type, adjusted between tokens so that
 * host and device finish together. It starts from a {@link HybridSplit}'s planned rates and keeps
 * an exponentially smoothed time per byte for each side; after each pass the share moves towards
 * the balance of the smoothed rates by at most {@link #MAX_STEP}, so one noisy token cannot swing it.
 *
 * <p>{@link #observe} and {@link #update} are called from the compute thread; {@link #deviceRows}
 * from whichever thread queues a copy, reading a published snapshot.
 */
public final class SplitController implements RowShare {
    /** Largest change of a device fraction between two tokens. */
    public static final double MAX_STEP = 0.05;
    /** Weight of the newest token in the smoothed times. */
    static final double SMOOTHING = 0.25;

    private final int quantum;
    private final boolean adaptive;
    private volatile double[] deviceFraction;
    private final double[] hostNsPerByte;
    private final double[] deviceNsPerByte;
    private final long[] hostBytes;
    private final long[] hostNanos;
    private final long[] deviceBytes;
    private final long[] deviceNanos;
    private volatile long hostBytesTotal;
    private volatile long hostNanosTotal;
    private volatile long deviceBytesTotal;
    private volatile long deviceNanosTotal;
    private volatile long hostGapNanosTotal;
    private volatile long inputWaitNanosTotal;
    private volatile long updates;

    private SplitController(double[] fractions, double[] hostNsPerByte, double[] deviceNsPerByte, int quantum,
            boolean adaptive) {
        this.deviceFraction = fractions;
        this.hostNsPerByte = hostNsPerByte;
        this.deviceNsPerByte = deviceNsPerByte;
        this.quantum = quantum;
        this.adaptive = adaptive;
        int n = GgmlType.values().length;
        hostBytes = new long[n];
        hostNanos = new long[n];
        deviceBytes = new long[n];
        deviceNanos = new long[n];
    }

    /** Starts at {@code split}'s balance for {@code types} and adapts to measured times. */
    public static SplitController adaptive(HybridSplit split, Iterable<GgmlType> types) {
        int n = GgmlType.values().length;
        double[] f = new double[n];
        double[] host = new double[n];
        double[] device = new double[n];
        java.util.Arrays.fill(f, 1);
        for (GgmlType t : types) {
            f[t.ordinal()] = 1 - split.hostFraction(t);
            host[t.ordinal()] = 1e9 / split.hostRates().bytesPerSecond(t);
            device[t.ordinal()] = 1e9 / split.linkBytesPerSecond();
        }
        return new SplitController(f, host, device, split.rowQuantum(), true);
    }

    /**
     * Starts at the balance of {@code linkBytesPerSecond} and this host's matvec rates for
     * {@code types} with {@code threads} threads ({@link HostMatvecCalibration#cached()}: measured once
     * per machine), and adapts; the device's rows are whole groups of
     * {@link HybridSplit#DEFAULT_ROW_QUANTUM}.
     */
    public static SplitController calibrated(double linkBytesPerSecond, java.util.Set<GgmlType> types, int threads) {
        HybridSplit split = new HybridSplit(linkBytesPerSecond, HostMatvecCalibration.cached().rates(types, threads),
                HybridSplit.DEFAULT_ROW_QUANTUM);
        return adaptive(split, types);
    }

    /** The same device fraction for every type, never adjusted (for tests and experiments). */
    public static SplitController fixed(double deviceFraction, int quantum) {
        if (!(deviceFraction >= 0 && deviceFraction <= 1)) {
            throw new IllegalArgumentException("device fraction must be in [0, 1], got " + deviceFraction);
        }
        int n = GgmlType.values().length;
        double[] f = new double[n];
        java.util.Arrays.fill(f, deviceFraction);
        return new SplitController(f, new double[n], new double[n], quantum, false);
    }

    @Override
    public long deviceRows(int layer, TensorInfo tensor) {
        return HybridSplit.deviceRows(tensor.rowCount(), deviceFraction[tensor.type().ordinal()], quantum);
    }

    /** Device rows of a {@code rows}-row matrix of {@code type} at the current fraction, a multiple of the quantum. */
    public int deviceRows(GgmlType type, int rows) {
        return (int) HybridSplit.deviceRows(rows, deviceFraction[type.ordinal()], quantum);
    }

    /** The current device fraction of {@code type}. */
    public double deviceFraction(GgmlType type) {
        return deviceFraction[type.ordinal()];
    }

    /** Weight bytes the host has computed from so far. */
    public long hostBytesTotal() {
        return hostBytesTotal;
    }

    /**
     * Totals so far: what the host computed and what the device side's copies took, with the device
     * fraction of each of {@code types} now.
     */
    public HybridStats stats(Iterable<GgmlType> types) {
        java.util.Map<GgmlType, Double> f = new java.util.EnumMap<>(GgmlType.class);
        types.forEach(t -> f.put(t, deviceFraction(t)));
        return new HybridStats(updates, hostBytesTotal, hostNanosTotal, deviceBytesTotal, deviceNanosTotal,
                hostGapNanosTotal, inputWaitNanosTotal, f);
    }

    /**
     * One split product, or one side of it (the other's bytes 0): bytes and nanoseconds each side
     * spent. Called by the thread that runs the passes.
     */
    public void observe(GgmlType type, long hostBytes, long hostNanos, long deviceBytes, long deviceNanos) {
        int i = type.ordinal();
        hostBytesTotal += hostBytes;
        hostNanosTotal += hostNanos;
        deviceBytesTotal += deviceBytes;
        deviceNanosTotal += deviceNanos;
        this.hostBytes[i] += hostBytes;
        this.hostNanos[i] += hostNanos;
        this.deviceBytes[i] += deviceBytes;
        this.deviceNanos[i] += deviceNanos;
    }

    /**
     * Time the host spent waiting, before a shared block, for the device to finish what lies between
     * it and the previous shared block (resident layers, norms, the previous block's tail): host time
     * of {@code type}'s products for the balance, since the link keeps copying meanwhile while the host
     * cannot start, so the balance must leave the link that much more work. Called by the thread that
     * runs the passes, with the gap spread over the block's host products by bytes.
     */
    public void observeHostGap(GgmlType type, long nanos) {
        hostGapNanosTotal += nanos;
        hostNanos[type.ordinal()] += nanos;
    }

    /**
     * Time the host spent waiting for a product's input inside a block (the device's rows, the slot's
     * copy, attention): statistics only, since it includes the link's backlog, and counting it as host
     * time would push yet more rows onto a link that is already the bound.
     */
    public void observeInputWait(long nanos) {
        inputWaitNanosTotal += nanos;
    }

    /** Folds the last pass's observations into the smoothed times and moves each fraction one bounded step. */
    public void update() {
        updates++;
        if (!adaptive) {
            return;
        }
        double[] next = deviceFraction.clone();
        boolean changed = false;
        for (int i = 0; i < next.length; i++) {
            if (hostBytes[i] > 0) {
                hostNsPerByte[i] = smooth(hostNsPerByte[i], (double) hostNanos[i] / hostBytes[i]);
            }
            if (deviceBytes[i] > 0) {
                deviceNsPerByte[i] = smooth(deviceNsPerByte[i], (double) deviceNanos[i] / deviceBytes[i]);
            }
            if (hostBytes[i] > 0 || deviceBytes[i] > 0) {
                next[i] = step(next[i], hostNsPerByte[i], deviceNsPerByte[i]);
                changed = true;
            }
            hostBytes[i] = hostNanos[i] = deviceBytes[i] = deviceNanos[i] = 0;
        }
        if (changed) {
            deviceFraction = next;
        }
    }

    /**
     * The fraction one bounded step from {@code current} towards the balance: device share f with
     * f·deviceNsPerByte = (1 − f)·hostNsPerByte.
     */
    static double step(double current, double hostNsPerByte, double deviceNsPerByte) {
        if (!(hostNsPerByte > 0) || !(deviceNsPerByte > 0)) {
            return current;
        }
        double target = hostNsPerByte / (hostNsPerByte + deviceNsPerByte);
        return current + Math.clamp(target - current, -MAX_STEP, MAX_STEP);
    }

    private static double smooth(double old, double sample) {
        return old > 0 ? old + SMOOTHING * (sample - old) : sample;
    }
}
