package dev.pagoda.core.tier;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides where each layer lives. Policy, in order:
 * <ol>
 *   <li>Non-layer tensors and the KV cache + workspace are resident: every token needs them.</li>
 *   <li>If every layer then fits, all are tier A and nothing streams.</li>
 *   <li>Otherwise a ring of {@code slots} device slots, each the size of the largest layer, is
 *       reserved, and as many layers as fit in what is left stay resident (tier A). The streamed
 *       layers are spread evenly among the resident ones rather than kept at the end: a copy
 *       into a slot may start as soon as the slot is released, so with streamed layers spread out
 *       each copy overlaps the compute of the resident layers before it, and a token takes
 *       max(compute, copy) instead of compute(resident) + max(compute, copy)(streamed).</li>
 *   <li>Streamed layers are pinned in host memory (tier B) as far as the host budget allows after
 *       reserving staging buffers; the rest are read from storage every pass (tier C), again spread
 *       evenly among the tier B ones so that storage reads and copies run side by side.</li>
 * </ol>
 * A device budget below non-layer + KV + workspace + ring, or a host budget below the staging
 * buffers, is an {@link InsufficientBudgetException} that names the minimum.
 *
 * @param bandwidths   rates for the prediction
 * @param slots        device ring slots when streaming (at least 2: one computing, one filling)
 * @param storageBlock the storage block size reads are aligned to (O_DIRECT)
 */
public record TierPlanner(Bandwidths bandwidths, int slots, int storageBlock) {
    /** Ring slots by default: layer i computes while layer i+1 is copied. */
    public static final int DEFAULT_SLOTS = 2;
    /** The usual logical block of NVMe drives and Linux file systems. */
    public static final int DEFAULT_STORAGE_BLOCK = 4096;

    public TierPlanner {
        if (slots < 2) {
            throw new IllegalArgumentException("streaming needs at least 2 ring slots, not " + slots);
        }
        if (storageBlock < 1 || Integer.bitCount(storageBlock) != 1) {
            throw new IllegalArgumentException("storage block " + storageBlock + " is not a power of two");
        }
    }

    /** Two slots, 4 KiB storage blocks. */
    public static TierPlanner withDefaults(Bandwidths bandwidths) {
        return new TierPlanner(bandwidths, DEFAULT_SLOTS, DEFAULT_STORAGE_BLOCK);
    }

    /**
     * The plan for {@code model} with {@code context} beside it in {@code device} and {@code host} memory.
     *
     * @throws InsufficientBudgetException when the device cannot hold non-layer tensors, KV +
     *     workspace and the ring, or the host cannot hold the staging buffers
     */
    public TierPlan plan(LayerFootprint model, ContextMemory context, DeviceBudget device, HostBudget host) {
        int n = model.layerCount();
        long nonLayer = model.nonLayerDeviceBytes();
        long fixed = nonLayer + context.totalBytes();
        long deviceRoom = device.usableBytes();
        long allLayers = 0;
        long largest = 0;
        for (LayerFootprint.Layer l : model.layers()) {
            allLayers += l.deviceBytes();
            largest = Math.max(largest, l.deviceBytes());
        }
        Tier[] tiers = new Tier[n];
        if (fixed + allLayers <= deviceRoom) {
            java.util.Arrays.fill(tiers, Tier.A);
            return build(model, context, tiers, 0, 0, device, host);
        }
        long minimum = fixed + slots * largest;
        if (minimum > deviceRoom) {
            throw new InsufficientBudgetException(String.format(java.util.Locale.ROOT,
                    "device memory budget %s is too small: it must hold the non-layer tensors (%s), KV cache and "
                            + "workspace (%s) and %d streaming slots of the largest layer (%s each): at least %s (%d bytes)",
                    ByteSize.human(deviceRoom), ByteSize.human(nonLayer), ByteSize.human(context.totalBytes()), slots,
                    ByteSize.human(largest), ByteSize.human(minimum), minimum), minimum, deviceRoom);
        }
        long room = deviceRoom - minimum;
        boolean[] streamed = null;
        for (int resident = n - 1; resident >= 0; resident--) {
            boolean[] candidate = spread(n - resident, n);
            long residentBytes = 0;
            for (int l = 0; l < n; l++) {
                if (!candidate[l]) {
                    residentBytes += model.layers().get(l).deviceBytes();
                }
            }
            if (residentBytes <= room) {
                streamed = candidate;
                break;
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            tiers[l] = streamed[l] ? Tier.B : Tier.A;
            if (streamed[l]) {
                order.add(l);
            }
        }
        long hostRoom = host.usableBytes();
        long largestStaging = 0;
        for (int l : order) {
            largestStaging = Math.max(largestStaging, LayerLayout.stagingBytes(model.layers().get(l).tensors(), storageBlock));
        }
        for (int fromStorage = 0; fromStorage <= order.size(); fromStorage++) {
            boolean[] c = spread(fromStorage, order.size());
            long staging = fromStorage == 0 ? 0 : slots * largestStaging;
            long pinned = staging;
            for (int i = 0; i < order.size(); i++) {
                if (!c[i]) {
                    pinned += model.layers().get(order.get(i)).bytes();
                }
            }
            if (pinned <= hostRoom) {
                for (int i = 0; i < order.size(); i++) {
                    tiers[order.get(i)] = c[i] ? Tier.C : Tier.B;
                }
                return build(model, context, tiers, largest, fromStorage == 0 ? 0 : largestStaging, device, host);
            }
        }
        long hostMinimum = slots * largestStaging;
        throw new InsufficientBudgetException(String.format(java.util.Locale.ROOT,
                "host memory budget %s is too small: reading layers from storage needs %d pinned staging buffers"
                        + " of %s: at least %s (%d bytes)", ByteSize.human(hostRoom), slots,
                ByteSize.human(largestStaging), ByteSize.human(hostMinimum), hostMinimum), hostMinimum, hostRoom);
    }

    private TierPlan build(LayerFootprint model, ContextMemory context, Tier[] tiers, long slotBytes, long stagingBytes,
            DeviceBudget device, HostBudget host) {
        List<TierPlan.LayerPlacement> placements = new ArrayList<>(tiers.length);
        for (int l = 0; l < tiers.length; l++) {
            LayerFootprint.Layer layer = model.layers().get(l);
            placements.add(new TierPlan.LayerPlacement(l, tiers[l], layer.bytes(), layer.deviceBytes()));
        }
        return new TierPlan(placements, model.nonLayerDeviceBytes(), model.nonLayerBytesPerToken(),
                context.totalBytes(), slotBytes > 0 ? slots : 0, slotBytes, stagingBytes > 0 ? slots : 0,
                stagingBytes, storageBlock, device.usableBytes(), host.usableBytes(), bandwidths);
    }

    /**
     * {@code count} of {@code total} positions chosen as evenly as possible: position
     * ⌊(i + ½)·total / count⌋ for i &lt; count, so chosen ones sit in the middle of equal runs.
     */
    static boolean[] spread(int count, int total) {
        boolean[] chosen = new boolean[total];
        for (int i = 0; i < count; i++) {
            chosen[(int) (((2L * i + 1) * total) / (2L * count))] = true;
        }
        return chosen;
    }
}
