package dev.pagoda.core.cuda;

import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.tier.Bandwidths;
import dev.pagoda.core.tier.DeviceBudget;
import dev.pagoda.core.tier.DirectFileSource;
import dev.pagoda.core.tier.HostBudget;
import dev.pagoda.core.tier.LayerFootprint;
import dev.pagoda.core.tier.ModelPlanRequest;
import dev.pagoda.core.tier.StorageProbe;
import dev.pagoda.core.tier.TierPlan;
import dev.pagoda.core.tier.TierPlanner;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.PinnedHostBuffer;
import dev.pagoda.gguf.GgufFile;
import java.io.IOException;
import java.util.OptionalDouble;

/**
 * Plans layer streaming for the CUDA backend: device memory from {@code cuMemGetInfo} (less the
 * engine's headroom) capped by the VRAM budget, host memory from /proc/meminfo capped by the RAM
 * budget, the PCIe rate measured with a pinned host → device copy (once per GPU, then cached:
 * {@link PinnedCopyRateCache}), and, when any block is tier C, the storage rate measured on the model
 * file as the streamer reads it ({@link StorageProbe}).
 */
public final class CudaTiering {
    /** Threads reading tier C blocks with O_DIRECT: several requests in flight. */
    public static final int READ_THREADS = 4;
    private static final long PROBE_BYTES = 256L << 20;

    private CudaTiering() {}

    /**
     * @param vramBudget bytes of device memory, or -1 for what is free
     * @param ramBudget  bytes of host memory for tier B and staging, or -1 for what is available
     * @throws dev.pagoda.core.tier.InsufficientBudgetException when a budget cannot hold the minimum
     */
    public static TierPlan plan(Cuda cuda, GgufFile file, LlamaConfig config, int contextLength, int batch,
            long vramBudget, long ramBudget) throws IOException {
        long free = Math.max(0, cuda.memoryInfo().freeBytes() - CudaEngine.HEADROOM_BYTES);
        DeviceBudget device = DeviceBudget.free(free);
        HostBudget host = HostBudget.available(HostBudget.memAvailable());
        if (vramBudget >= 0) {
            device = device.limitedTo(vramBudget);
        }
        if (ramBudget >= 0) {
            host = host.limitedTo(ramBudget);
        }
        Bandwidths rates = new Bandwidths(PinnedCopyRateCache.standard().rate(cuda), Bandwidths.ASSUMED_STORAGE,
                Bandwidths.ASSUMED_DEVICE_MEMORY);
        TierPlan plan = new ModelPlanRequest(device, host, contextLength, batch, KvCacheType.F16,
                TierPlanner.withDefaults(rates)).plan(config, LayerFootprint.of(file.tensors()));
        OptionalDouble storage = StorageProbe.measure(file, plan, path -> new DirectFileSource(path, READ_THREADS));
        return storage.isPresent() ? plan.withBandwidths(new Bandwidths(rates.hostToDevice(), storage.getAsDouble(),
                rates.deviceMemory())) : plan;
    }

    /**
     * Bytes per second of a 256 MiB pinned host → device copy, the best of five after at least 200 ms
     * of warm-up copies. The rate is cached per device (PinnedCopyRateCache), so a low first reading
     * would stick: on the H100 host a probe with one warm-up copy cached 45 GB/s where the bench
     * measured 55 GB/s after its run; a link or clocks still coming up from idle is the likely cause,
     * and a longer warm-up costs ~0.2 s once per device.
     */
    public static double pinnedHostToDevice(Cuda cuda) {
        try (PinnedHostBuffer host = cuda.allocatePinned(PROBE_BYTES);
             DeviceBuffer device = cuda.allocate(PROBE_BYTES);
             CudaStream stream = cuda.createStream()) {
            host.segment().fill((byte) 0x5a);
            long warmUntil = System.nanoTime() + 200_000_000L;
            do {
                device.copyFromHostAsync(host.segment(), 0, stream);
                stream.synchronize();
            } while (System.nanoTime() < warmUntil);
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                device.copyFromHostAsync(host.segment(), 0, stream);
                stream.synchronize();
                best = Math.min(best, System.nanoTime() - t0);
            }
            return PROBE_BYTES / (best / 1e9);
        }
    }
}
