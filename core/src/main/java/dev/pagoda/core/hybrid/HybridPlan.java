package dev.pagoda.core.hybrid;

import dev.pagoda.core.tier.ByteSize;
import dev.pagoda.core.tier.LayerFootprint;
import dev.pagoda.core.tier.Tier;
import dev.pagoda.core.tier.TierPlan;
import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.TensorInfo;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link TierPlan} with the hybrid share of its streamed matrices: bytes per weight type, the
 * host's fraction of each, and the decode speed it predicts. With the shares balanced, streaming a
 * token costs streamed bytes / (link rate + host rate) instead of streamed bytes / link rate.
 *
 * @param plan          the tier plan
 * @param split         the planned share
 * @param streamedBytes bytes of streamed (tier B and C) matrices per weight type
 */
public record HybridPlan(TierPlan plan, HybridSplit split, Map<GgmlType, Long> streamedBytes) {

    public HybridPlan {
        streamedBytes = Map.copyOf(streamedBytes);
    }

    /** The share of {@code plan}'s streamed layers, whose tensors {@code footprint} lists. */
    public static HybridPlan of(TierPlan plan, LayerFootprint footprint, HybridSplit split) {
        Map<GgmlType, Long> bytes = new EnumMap<>(GgmlType.class);
        for (LayerFootprint.Layer layer : footprint.layers()) {
            if (plan.tier(layer.index()) != Tier.A) {
                for (TensorInfo t : layer.tensors()) {
                    if (t.rank() == 2) {
                        bytes.merge(t.type(), t.byteSize(), Long::sum);
                    }
                }
            }
        }
        return new HybridPlan(plan, split, bytes);
    }

    /** Seconds per token the link needs for the device's share of the streamed matrices. */
    public double linkSeconds() {
        double s = 0;
        for (var e : streamedBytes.entrySet()) {
            s += e.getValue() * (1 - split.hostFraction(e.getKey())) / split.linkBytesPerSecond();
        }
        return s;
    }

    /** Seconds per token the host needs for its share. */
    public double hostSeconds() {
        double s = 0;
        for (var e : streamedBytes.entrySet()) {
            s += e.getValue() * split.hostFraction(e.getKey()) / split.hostRates().bytesPerSecond(e.getKey());
        }
        return s;
    }

    /** Predicted seconds per decoded token: the slowest of device compute, link, host and storage. */
    public double secondsPerToken() {
        return Math.max(Math.max(plan.computeSeconds(), plan.storageSeconds()), Math.max(linkSeconds(), hostSeconds()));
    }

    /** One line: {@code hybrid: host computes Q4_K 49%, Q6_K 25% of streamed rows | predicted 5.3 tok/s (was 2.6)}. */
    public String summary() {
        StringBuilder s = new StringBuilder("hybrid: host computes");
        String sep = " ";
        for (GgmlType t : new java.util.TreeSet<>(streamedBytes.keySet())) {
            s.append(sep).append(String.format(Locale.ROOT, "%s %.0f%% (%.1f GB/s)", t, 100 * split.hostFraction(t),
                    split.hostRates().bytesPerSecond(t) / 1e9));
            sep = ", ";
        }
        long total = streamedBytes.values().stream().mapToLong(Long::longValue).sum();
        return s.append(String.format(Locale.ROOT, " of %s streamed | predicted %.1f tok/s (without: %.1f tok/s)",
                ByteSize.human(total), 1 / secondsPerToken(), plan.tokensPerSecond())).toString();
    }
}
