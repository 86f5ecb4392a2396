package dev.pagoda.core.tier;

import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaWeights;
import dev.pagoda.gguf.GgufFile;
import java.io.IOException;
import java.util.OptionalDouble;

/**
 * Plans and starts layer streaming for the CPU backend: the "device" is native memory with the
 * device budget, host memory is capped by the host budget, tier C layers are read from the model
 * file with O_DIRECT; the storage rate the plan predicts from is measured on the file
 * ({@link StorageProbe}) when any layer is tier C.
 */
public final class CpuTiering {
    /** Threads reading tier C layers: enough to keep several requests in flight. */
    static final int READ_THREADS = 4;

    private CpuTiering() {}

    /**
     * @param deviceBudget bytes of "device" memory, or -1 for what the host has available
     * @param hostBudget   bytes of host memory for tier B and staging, or -1 for what is available
     * @throws InsufficientBudgetException when a budget cannot hold the minimum (the message says it)
     */
    public static LayerStreamer open(GgufFile file, LlamaConfig config, LlamaWeights weights, int contextLength,
            int batch, KvCacheType kvType, long deviceBudget, long hostBudget) throws IOException {
        return open(file, config, weights, contextLength, batch, kvType, deviceBudget, hostBudget, directFiles());
    }

    /** Tier C read from the model's own files with O_DIRECT, several reads in flight. */
    public static LayerStreamer.StorageOpener directFiles() {
        return path -> new DirectFileSource(path, READ_THREADS);
    }

    /** As above, with tier C read from {@code storage} (such as the NVMe driver) instead of O_DIRECT. */
    public static LayerStreamer open(GgufFile file, LlamaConfig config, LlamaWeights weights, int contextLength,
            int batch, KvCacheType kvType, long deviceBudget, long hostBudget, LayerStreamer.StorageOpener storage)
            throws IOException {
        long available = HostBudget.memAvailable();
        DeviceBudget device = DeviceBudget.free(available);
        HostBudget host = HostBudget.available(available);
        if (deviceBudget >= 0) {
            device = device.limitedTo(deviceBudget);
        }
        if (hostBudget >= 0) {
            host = host.limitedTo(hostBudget);
        }
        TierPlan plan = new ModelPlanRequest(device, host, contextLength, batch, kvType,
                TierPlanner.withDefaults(Bandwidths.assumed())).plan(config, LayerFootprint.of(file.tensors()));
        OptionalDouble storageRate = StorageProbe.measure(file, plan, storage);
        if (storageRate.isPresent()) {
            Bandwidths b = plan.bandwidths();
            plan = plan.withBandwidths(new Bandwidths(b.hostToDevice(), storageRate.getAsDouble(), b.deviceMemory()));
        }
        return LayerStreamer.open(plan, new CpuDevice(device.usableBytes()), file, weights, storage);
    }
}
