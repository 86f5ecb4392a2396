package dev.pagoda.core.tier;

import java.util.List;
import java.util.Locale;

/**
 * Where every layer of a model lives and what running it costs: made by {@link TierPlanner},
 * immutable, and enough for a backend to allocate everything up front.
 *
 * @param layers               one placement per layer, in layer order
 * @param nonLayerBytes        device bytes of the non-layer tensors (always resident)
 * @param nonLayerBytesPerToken bytes of non-layer tensors a token reads (output matrix, output norm)
 * @param contextBytes         device bytes reserved for KV cache and workspace
 * @param slotCount            device ring slots for streamed layers (0 when none is streamed)
 * @param slotBytes            bytes of one slot: the largest streamed layer in device layout
 * @param stagingCount         pinned staging buffers for storage reads (0 when no layer is tier C)
 * @param stagingBytes         bytes of one staging buffer
 * @param storageBlock         storage block the staging layout aligns reads to
 * @param deviceBytesAvailable what the device budget allows
 * @param hostBytesAvailable   what the host budget allows
 * @param bandwidths           the rates the prediction uses
 */
public record TierPlan(
        List<LayerPlacement> layers,
        long nonLayerBytes,
        long nonLayerBytesPerToken,
        long contextBytes,
        int slotCount,
        long slotBytes,
        int stagingCount,
        long stagingBytes,
        int storageBlock,
        long deviceBytesAvailable,
        long hostBytesAvailable,
        Bandwidths bandwidths) {

    /**
     * One layer's place.
     *
     * @param layer       N of blk.N
     * @param tier        where it lives
     * @param bytes       bytes of its tensor data (what a pass reads or moves)
     * @param deviceBytes bytes it takes in device memory (tensors aligned)
     */
    public record LayerPlacement(int layer, Tier tier, long bytes, long deviceBytes) {}

    public TierPlan {
        layers = List.copyOf(layers);
    }

    /** The same placement with other rates (measured ones in place of assumed ones): only the prediction changes. */
    public TierPlan withBandwidths(Bandwidths rates) {
        return new TierPlan(layers, nonLayerBytes, nonLayerBytesPerToken, contextBytes, slotCount, slotBytes,
                stagingCount, stagingBytes, storageBlock, deviceBytesAvailable, hostBytesAvailable, rates);
    }

    /** Number of layers. */
    public int layerCount() {
        return layers.size();
    }

    /** Where layer {@code layer} lives. */
    public Tier tier(int layer) {
        return layers.get(layer).tier();
    }

    /** Layers in {@code tier}. */
    public int layerCount(Tier tier) {
        return (int) layers.stream().filter(p -> p.tier() == tier).count();
    }

    /** Bytes of tensor data of the layers in {@code tier}. */
    public long layerBytes(Tier tier) {
        return layers.stream().filter(p -> p.tier() == tier).mapToLong(LayerPlacement::bytes).sum();
    }

    /** Whether any layer is streamed (tier B or C). */
    public boolean streams() {
        return slotCount > 0;
    }

    /** Device memory the plan uses: non-layer tensors, KV + workspace, resident layers, ring slots. */
    public long deviceBytesUsed() {
        long resident = layers.stream().filter(p -> p.tier() == Tier.A).mapToLong(LayerPlacement::deviceBytes).sum();
        return nonLayerBytes + contextBytes + resident + slotCount * slotBytes;
    }

    /** Host memory the plan pins: tier B layers and staging buffers. */
    public long hostBytesUsed() {
        return layerBytes(Tier.B) + stagingCount * stagingBytes;
    }

    /** Seconds per token the compute kernels need: every weight byte read once from device memory. */
    public double computeSeconds() {
        long all = nonLayerBytesPerToken;
        for (LayerPlacement p : layers) {
            all += p.bytes();
        }
        return all / bandwidths.deviceMemory();
    }

    /** Seconds per token of host → device copies: every streamed byte (tier B and C) crosses the link. */
    public double hostToDeviceSeconds() {
        return (layerBytes(Tier.B) + layerBytes(Tier.C)) / bandwidths.hostToDevice();
    }

    /** Seconds per token of storage reads: every tier C byte. */
    public double storageSeconds() {
        return layerBytes(Tier.C) / bandwidths.storage();
    }

    /**
     * Predicted seconds per decoded token: the slowest of the three pipelined stages (storage
     * read, copy, compute). With the ring kept full and streamed layers spread among resident
     * ones, each stage runs while the others do, so the slowest sets the pace.
     */
    public double secondsPerToken() {
        return Math.max(computeSeconds(), Math.max(hostToDeviceSeconds(), storageSeconds()));
    }

    /** Predicted decode speed. */
    public double tokensPerSecond() {
        return 1 / secondsPerToken();
    }

    /**
     * One line: {@code 70B Q4_K_M | tier A 38 layers 20.9 GB | tier B 42 layers 23.1 GB | tier C 0 |
     * predicted 2.3 tok/s (PCIe 54 GB/s)}.
     */
    public String summary(String modelLabel) {
        StringBuilder s = new StringBuilder(modelLabel);
        for (Tier t : Tier.values()) {
            int n = layerCount(t);
            s.append(" | tier ").append(t).append(' ');
            s.append(n == 0 ? "0" : n + (n == 1 ? " layer " : " layers ") + ByteSize.human(layerBytes(t)));
        }
        s.append(String.format(Locale.ROOT, " | predicted %.1f tok/s (PCIe %.0f GB/s", tokensPerSecond(),
                bandwidths.hostToDevice() / 1e9));
        if (layerCount(Tier.C) > 0) {
            s.append(String.format(Locale.ROOT, ", storage %.1f GB/s", bandwidths.storage() / 1e9));
        }
        return s.append(')').toString();
    }

    /** A table: one row per layer (tier, bytes), then device and host totals and the time model. */
    public String table() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-6s %-4s %12s%n", "layer", "tier", "bytes"));
        for (LayerPlacement p : layers) {
            s.append(String.format(Locale.ROOT, "%-6d %-4s %12s%n", p.layer(), p.tier(), ByteSize.human(p.bytes())));
        }
        s.append(String.format(Locale.ROOT, "device  %s of %s: non-layer %s, KV + workspace %s, resident %s, "
                        + "%d slots × %s%n",
                ByteSize.human(deviceBytesUsed()), budget(deviceBytesAvailable), ByteSize.human(nonLayerBytes),
                ByteSize.human(contextBytes), ByteSize.human(layerBytes(Tier.A)), slotCount, ByteSize.human(slotBytes)));
        s.append(String.format(Locale.ROOT, "host    %s of %s: tier B %s, %d staging × %s%n",
                ByteSize.human(hostBytesUsed()), budget(hostBytesAvailable), ByteSize.human(layerBytes(Tier.B)),
                stagingCount, ByteSize.human(stagingBytes)));
        s.append(String.format(Locale.ROOT, "per token: compute %.2f ms, host→device %.2f ms, storage %.2f ms"
                        + " → %.2f ms (%s)%n",
                computeSeconds() * 1e3, hostToDeviceSeconds() * 1e3, storageSeconds() * 1e3,
                secondsPerToken() * 1e3, bandwidths));
        return s.toString();
    }

    private static String budget(long bytes) {
        return bytes == Long.MAX_VALUE ? "unlimited" : ByteSize.human(bytes);
    }
}
