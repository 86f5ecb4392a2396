package dev.pagoda.core.hybrid;

import dev.pagoda.core.tier.ByteSize;
import dev.pagoda.gguf.GgmlType;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * What hybrid decode did, summed since the model was opened: the weight bytes the host computed
 * from and the time its row products took, the bytes the device's shares moved over the link and
 * the time those copies took, and the device fraction of each weight type in force now.
 *
 * @param updates         passes after which the share was reconsidered
 * @param hostBytes       weight bytes the host computed from
 * @param hostNanos       wall time of the host's row products (the compute thread waits for them)
 * @param deviceBytes     weight bytes of the device's shares copied
 * @param deviceNanos     device time of those copies
 * @param hostGapNanos    host time blocked, before a shared block's first product, on the device work
 *                        since the previous shared block (resident layers, norms): the serial part of
 *                        a pass that the host cannot overlap, counted as host time for the share
 * @param inputWaitNanos  host time blocked on a product's input inside a shared block (the device's
 *                        rows, the slot's copy, attention): what the host lost to the link and device
 * @param deviceFractions device share of each streamed weight type now
 */
public record HybridStats(long updates, long hostBytes, long hostNanos, long deviceBytes, long deviceNanos,
        long hostGapNanos, long inputWaitNanos, Map<GgmlType, Double> deviceFractions) {

    public HybridStats {
        deviceFractions = Map.copyOf(deviceFractions.isEmpty() ? Map.of() : new EnumMap<>(deviceFractions));
    }

    /** This minus {@code earlier} (the fractions stay this one's). */
    public HybridStats since(HybridStats earlier) {
        return new HybridStats(updates - earlier.updates, hostBytes - earlier.hostBytes, hostNanos - earlier.hostNanos,
                deviceBytes - earlier.deviceBytes, deviceNanos - earlier.deviceNanos, hostGapNanos - earlier.hostGapNanos,
                inputWaitNanos - earlier.inputWaitNanos, deviceFractions);
    }

    /** Host matvec rate achieved, bytes/s (0 before any host work). */
    public double hostBytesPerSecond() {
        return hostNanos == 0 ? 0 : hostBytes * 1e9 / hostNanos;
    }

    /** Link rate the device shares' copies achieved, bytes/s (0 before any copy was timed). */
    public double deviceBytesPerSecond() {
        return deviceNanos == 0 ? 0 : deviceBytes * 1e9 / deviceNanos;
    }

    /**
     * One line per {@code passes} passes, e.g. "hybrid: host Q4_K 49%, Q6_K 46% of rows; per pass host 95.1 ms
     * over 10.2 GB (57.0 GB/s), device copies 96.0 ms over 11.0 GB (54.5 GB/s); host waited 2.10 ms before
     * blocks, 1.30 ms inside them". A pass takes about host + gap + inside waits on the host's path; the
     * copies run beside it, so a pass near host + gap with the copies as long means both sides are busy.
     */
    public String perPassSummary(long passes) {
        long p = Math.max(1, passes);
        StringBuilder s = new StringBuilder("hybrid: host computes");
        String sep = " ";
        for (GgmlType t : new TreeSet<>(deviceFractions.keySet())) {
            s.append(sep).append(String.format(Locale.ROOT, "%s %.1f%%", t, 100 * (1 - deviceFractions.get(t))));
            sep = ", ";
        }
        return s.append(String.format(Locale.ROOT,
                " of rows; per pass host %.2f ms over %s (%.1f GB/s), device-share copies %.2f ms over %s (%.1f GB/s)",
                hostNanos / 1e6 / p, ByteSize.human(hostBytes / p), hostBytesPerSecond() / 1e9,
                deviceNanos / 1e6 / p, ByteSize.human(deviceBytes / p), deviceBytesPerSecond() / 1e9))
                .append(String.format(Locale.ROOT, "; host waited %.2f ms before blocks, %.2f ms inside them",
                        hostGapNanos / 1e6 / p, inputWaitNanos / 1e6 / p)).toString();
    }
}
