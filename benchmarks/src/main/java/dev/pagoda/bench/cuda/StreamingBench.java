package dev.pagoda.bench.cuda;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.cuda.CudaTiering;
import dev.pagoda.core.tier.Tier;
import dev.pagoda.core.tier.TierPlan;
import dev.pagoda.core.tier.TierStats;
import dev.pagoda.cuda.Cuda;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Decode and prefill speed of a model on CUDA, resident or streamed under budgets, against the
 * streaming bound: bytes copied per token (tier B + C) over the measured pinned host → device
 * bandwidth. One line per run, prefixed "stream".
 *
 * <p>Usage: {@code StreamingBench MODEL VRAM|- RAM|- [PROMPT=512] [DECODE=16]} ("-" = no budget).
 */
public final class StreamingBench {
    private StreamingBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: StreamingBench MODEL VRAM|- RAM|- [PROMPT] [DECODE]");
            System.exit(2);
        }
        Path path = Path.of(args[0]);
        int prompt = args.length > 3 ? Integer.parseInt(args[3]) : 512;
        int decode = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        double h2d;
        long freeBefore;
        try (Cuda cuda = Cuda.open()) {
            h2d = CudaTiering.pinnedHostToDevice(cuda);
            freeBefore = cuda.memoryInfo().freeBytes();
        }
        Model.Builder b = Model.builder(path).backend(Backend.CUDA).contextLength(Math.max(1024, prompt + decode + 8));
        if (!args[1].equals("-")) {
            b.vramBudget(args[1]);
        }
        if (!args[2].equals("-")) {
            b.ramBudget(args[2]);
        }
        long t0 = System.nanoTime();
        try (Model model = b.open(); Session s = model.newSession()) {
            double openS = (System.nanoTime() - t0) / 1e9;
            long used;
            try (Cuda cuda = Cuda.open()) {
                used = freeBefore - cuda.memoryInfo().freeBytes();
            }
            TierPlan plan = model.tierPlan().orElse(null);
            if (plan != null) {
                System.out.println(plan.table());
            }
            int[] tokens = new SplittableRandom(3).ints(prompt, 0, model.config().vocabSize()).toArray();
            // warm-up: one short prefill and a few decode steps, then a fresh session position
            s.feedArgmax(java.util.Arrays.copyOf(tokens, Math.min(prompt, 32)));
            for (int i = 0; i < 2; i++) {
                s.feedArgmax(tokens[i]);
            }
            s.reset();
            TierStats before = model.tierStats();
            long p0 = System.nanoTime();
            int next = s.feedArgmax(tokens);
            double prefillS = (System.nanoTime() - p0) / 1e9;
            TierStats afterPrefill = model.tierStats();
            long d0 = System.nanoTime();
            for (int i = 0; i < decode; i++) {
                next = s.feedArgmax(next);
            }
            double decodeS = (System.nanoTime() - d0) / 1e9;
            TierStats dec = model.tierStats().since(afterPrefill);
            double tps = decode / decodeS;
            long streamed = plan == null ? 0 : plan.layerBytes(Tier.B) + plan.layerBytes(Tier.C);
            double bound = streamed == 0 ? Double.NaN : h2d / streamed;
            System.out.println("prefill stats: " + afterPrefill.since(before).perPassSummary());
            System.out.println("decode stats:  " + dec.perPassSummary());
            System.out.printf(Locale.ROOT, "stream %s vram=%s ram=%s | open %.1f s | VRAM used %.2f GiB | RSS %.2f GiB"
                            + " | tiers A/B/C %s | prefill %d tok %.1f tok/s | decode %.3f tok/s | streamed %.2f GB/token"
                            + " | pinned H2D %.1f GB/s | bound %.3f tok/s | ratio %.0f %%%n",
                    path.getFileName(), args[1], args[2], openS, used / (double) (1L << 30), rssBytes() / (double) (1L << 30),
                    plan == null ? "all resident"
                            : plan.layerCount(Tier.A) + "/" + plan.layerCount(Tier.B) + "/" + plan.layerCount(Tier.C),
                    prompt, prompt / prefillS, tps, streamed / 1e9, h2d / 1e9, bound,
                    streamed == 0 ? Double.NaN : 100 * tps / bound);
        }
    }

    private static long rssBytes() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
