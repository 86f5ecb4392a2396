package dev.pagoda.core.tier;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What {@code pagoda run --stats} and {@code pagoda bench} say about a streamed run: achieved decode
 * speed against the bounds the plan's transfers set (bytes streamed per token ÷ a rate measured in the
 * same run), and the process's resident memory against the budgets.
 */
public final class StreamingReport {
    private StreamingReport() {}

    /**
     * The PCIe bound (tier B + C bytes per token ÷ {@code hostToDevice}, when given: a GPU's pinned copy
     * rate measured in this run) and the storage bound (tier C bytes per token ÷ the plan's storage rate,
     * which {@link StorageProbe} measured at open), each with {@code decodeTokensPerSecond} as a fraction
     * of it. Empty when nothing streams.
     */
    public static List<String> bounds(TierPlan plan, double decodeTokensPerSecond, OptionalDouble hostToDevice) {
        List<String> lines = new ArrayList<>();
        long streamed = plan.layerBytes(Tier.B) + plan.layerBytes(Tier.C);
        if (streamed > 0 && hostToDevice.isPresent()) {
            lines.add(bound("PCIe bound", streamed, "tier B + C", hostToDevice.getAsDouble(),
                    "pinned host → device, measured in this run", decodeTokensPerSecond));
        }
        long fromStorage = plan.layerBytes(Tier.C);
        if (fromStorage > 0) {
            lines.add(bound("storage bound", fromStorage, "tier C", plan.bandwidths().storage(),
                    "O_DIRECT reads as the streamer issues them, measured at open", decodeTokensPerSecond));
        }
        return lines;
    }

    private static String bound(String name, long bytesPerToken, String what, double rate, String how,
            double achieved) {
        double bound = rate / bytesPerToken;
        return String.format(Locale.ROOT, "%s: %s per token (%s) ÷ %.2f GB/s (%s) = %.3f tok/s;"
                        + " decode %.3f tok/s = %.0f%% of it", name, ByteSize.human(bytesPerToken), what, rate / 1e9, how,
                bound, achieved, 100 * achieved / bound);
    }

    /**
     * The resident set now; with a plan, beside what the budgets allow: pinned host memory (tier B +
     * staging) of the RAM budget, and, when {@code deviceInHostMemory} (the CPU backend, whose "device"
     * is native memory), device memory of the VRAM budget; then how much of the model file's mapping is
     * resident. Nothing where /proc is missing.
     */
    public static List<String> memory(Optional<TierPlan> plan, boolean deviceInHostMemory, Path modelFile) {
        List<String> lines = new ArrayList<>();
        ProcessMemory.read().ifPresent(m -> lines.add("resident " + m.summary()));
        plan.ifPresent(p -> {
            String budgets = "budgets  pinned host " + ProcessMemory.gib(p.hostBytesUsed()) + " (tier B + staging) of "
                    + limit(p.hostBytesAvailable());
            if (deviceInHostMemory) {
                budgets += ", device (native memory on the CPU) " + ProcessMemory.gib(p.deviceBytesUsed()) + " of "
                        + limit(p.deviceBytesAvailable());
            }
            lines.add(budgets);
        });
        ProcessMemory.mappedResidentBytes(modelFile).ifPresent(b -> lines.add("mapping  model file resident "
                + ProcessMemory.gib(b)));
        return lines;
    }

    private static String limit(long bytes) {
        return bytes == Long.MAX_VALUE ? "unlimited" : ProcessMemory.gib(bytes);
    }
}
