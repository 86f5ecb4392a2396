package dev.pagoda.cli;

import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.hybrid.HostMatvecCalibration;
import dev.pagoda.core.hybrid.HostMatvecRates;
import dev.pagoda.core.hybrid.HybridPlan;
import dev.pagoda.core.hybrid.HybridSplit;
import dev.pagoda.core.tier.Bandwidths;
import dev.pagoda.core.tier.LayerFootprint;
import dev.pagoda.core.tier.Tier;
import dev.pagoda.core.tier.ByteSize;
import dev.pagoda.core.tier.CudaMemoryProbe;
import dev.pagoda.core.tier.DeviceBudget;
import dev.pagoda.core.tier.HostBudget;
import dev.pagoda.core.tier.ModelPlanRequest;
import dev.pagoda.core.tier.TierPlan;
import dev.pagoda.core.tier.TierPlanner;
import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.GgufFile;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code pagoda plan}: where each layer of a model would live under the given budgets, and the
 * predicted decode speed, from the GGUF header alone (no weight is read).
 */
final class PlanCommand implements Command {
    private static final int DEFAULT_CONTEXT_CAP = 4096;

    @Override
    public String name() {
        return "plan";
    }

    @Override
    public String arguments() {
        return "-m MODEL [--vram 24g] [--ram 48g] [--ctx C] [--batch B] [--kv f32|f16] [--slots S] "
                + "[--pcie GB/s] [--storage GB/s] [--hbm GB/s] [--cpu-rate GB/s] [--threads T] [--hybrid]";
    }

    @Override
    public String summary() {
        return "print which layers stay in VRAM, pinned RAM or storage, and the predicted tokens/s";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Arguments a = new Arguments(args, Set.of("-m|--model", "--vram", "--ram", "--ctx|-c", "--batch", "--kv",
                "--slots", "--pcie", "--storage", "--hbm", "--cpu-rate", "--threads"), Set.of("--hybrid"));
        if (!a.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + a.positional().getFirst());
        }
        Bandwidths bandwidths;
        try {
            bandwidths = new Bandwidths(a.number("--pcie", Bandwidths.ASSUMED_PCIE / 1e9) * 1e9,
                    a.number("--storage", Bandwidths.ASSUMED_STORAGE / 1e9) * 1e9,
                    a.number("--hbm", Bandwidths.ASSUMED_DEVICE_MEMORY / 1e9) * 1e9);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        KvCacheType kv = switch (a.string("--kv", "f32").toLowerCase(Locale.ROOT)) {
            case "f32" -> KvCacheType.F32;
            case "f16" -> KvCacheType.F16;
            default -> throw new UsageException("--kv must be f32 or f16, not " + a.string("--kv", ""));
        };
        int slots = a.integer("--slots", TierPlanner.DEFAULT_SLOTS);
        if (slots < 2) {
            throw new UsageException("--slots must be at least 2");
        }
        int batch = a.integer("--batch", 64);
        if (batch < 1) {
            throw new UsageException("--batch must be at least 1");
        }
        Long vramBudget = size(a, "--vram");
        Long ramBudget = size(a, "--ram");

        Optional<Long> cudaFree = CudaMemoryProbe.freeBytes();
        if (cudaFree.isEmpty() && vramBudget == null) {
            throw new UsageException("no CUDA device here to ask for free memory: give --vram (e.g. --vram 24g)");
        }
        boolean pcieMeasured = false;
        if (cudaFree.isPresent() && a.string("--pcie", null) == null) {
            // a GPU is here: plan with its measured pinned host → device rate rather than the assumed one
            Optional<dev.pagoda.cuda.Cuda> cuda = dev.pagoda.cuda.Cuda.tryOpen();
            if (cuda.isPresent()) {
                try (dev.pagoda.cuda.Cuda c = cuda.get()) {
                    bandwidths = new Bandwidths(dev.pagoda.core.cuda.CudaTiering.pinnedHostToDevice(c),
                            bandwidths.storage(), bandwidths.deviceMemory());
                    pcieMeasured = true;
                }
            }
        }
        DeviceBudget device = DeviceBudget.free(cudaFree.orElse(vramBudget));
        if (vramBudget != null) {
            device = device.limitedTo(vramBudget);
        }
        HostBudget host = HostBudget.available(HostBudget.memAvailable());
        if (ramBudget != null) {
            host = host.limitedTo(ramBudget);
        }

        try (GgufFile file = GgufFile.open(a.model())) {
            int trained = file.metadata().getInt("llama.context_length", DEFAULT_CONTEXT_CAP);
            int ctx = a.integer("--ctx", Math.min(trained, DEFAULT_CONTEXT_CAP));
            if (ctx < 1) {
                throw new UsageException("--ctx must be at least 1");
            }
            TierPlan plan = new ModelPlanRequest(device, host, ctx, batch, kv,
                    new TierPlanner(bandwidths, slots, TierPlanner.DEFAULT_STORAGE_BLOCK)).plan(file);
            String label = file.path().getFileName().toString().replaceFirst("\\.gguf$", "");
            out.println(plan.summary(label));
            if (plan.streams() && a.flag("--hybrid")) {
                out.println(hybrid(a, plan, file).summary());
            }
            out.printf(Locale.ROOT, "device %s%s, host %s available%s, context %d, batch %d, KV %s%n",
                    ByteSize.human(device.freeBytes()), cudaFree.isPresent() ? " free (CUDA)" : " (--vram)",
                    ByteSize.human(host.availableBytes()), ramBudget != null ? ", --ram " + ByteSize.human(ramBudget) : "",
                    ctx, batch, kv);
            if (pcieMeasured) {
                out.printf(Locale.ROOT, "PCIe measured: %.1f GB/s pinned host → device%n", bandwidths.hostToDevice() / 1e9);
            }
            out.println();
            out.print(plan.table());
        }
        return 0;
    }

    private static Long size(Arguments a, String option) throws UsageException {
        String v = a.string(option, null);
        if (v == null) {
            return null;
        }
        try {
            return ByteSize.parse(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    /** The hybrid share: host rates from --cpu-rate, else measured on this machine (cached), link rate from --pcie. */
    private static HybridPlan hybrid(Arguments a, TierPlan plan, GgufFile file) throws UsageException {
        LayerFootprint footprint = LayerFootprint.of(file.tensors());
        java.util.Set<GgmlType> types = java.util.EnumSet.noneOf(GgmlType.class);
        footprint.layers().stream().filter(l -> plan.tier(l.index()) != Tier.A)
                .forEach(l -> l.tensors().stream().filter(t -> t.rank() == 2).forEach(t -> types.add(t.type())));
        int threads = a.integer("--threads", Runtime.getRuntime().availableProcessors());
        try {
            dev.pagoda.core.cpu.WorkerPool.checkThreadCount(threads);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--threads: " + e.getMessage());
        }
        HostMatvecRates rates;
        try {
            rates = a.string("--cpu-rate", null) != null
                    ? HostMatvecRates.uniform(a.number("--cpu-rate", 0) * 1e9, types)
                    : HostMatvecCalibration.cached().rates(types, threads);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--cpu-rate: " + e.getMessage());
        }
        return HybridPlan.of(plan, footprint,
                new HybridSplit(plan.bandwidths().hostToDevice(), rates, HybridSplit.DEFAULT_ROW_QUANTUM));
    }
}
