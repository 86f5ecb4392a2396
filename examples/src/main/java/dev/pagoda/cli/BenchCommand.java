package dev.pagoda.cli;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.cpu.ReadBandwidth;
import dev.pagoda.core.cpu.WorkerPool;
import dev.pagoda.core.cuda.DeviceCopyBandwidth;
import dev.pagoda.core.tier.LayerTimeline;
import dev.pagoda.core.hybrid.HybridStats;
import dev.pagoda.core.tier.StreamingReport;
import dev.pagoda.core.tier.TierPlan;
import dev.pagoda.core.tier.TierStats;
import dev.pagoda.core.tier.TimelineSvg;
import dev.pagoda.cuda.Cuda;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code pagoda bench}: prefill and decode speed of a model on the CPU or GPU, and decode's weight-read
 * rate against the measured bound: memory read bandwidth on the CPU, device copy bandwidth (read +
 * write) on CUDA (decode reads every weight byte per token). Decoding takes the greedy pick of each
 * step (on the device on CUDA), so no logits cross the bus; the decode timer starts after the session's
 * first decoded token (which captures the CUDA step graph), as llama-bench times after a warm-up.
 */
final class BenchCommand implements Command {

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String arguments() {
        return "-m MODEL [-p 128] [-n 64] [--threads T] [--backend cpu|cuda|auto] [--vram 24g] [--ram 48g] [--no-hybrid]"
                + " [--activations f32|int16|int8] [--timeline FILE.svg]";
    }

    @Override
    public String summary() {
        return "measure prefill and decode tokens/s and weight GB/s against memory bandwidth";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Arguments a = new Arguments(args, Set.of("-m|--model", "-p", "-n", "--threads|-t", "--ctx|-c", "--backend",
                "--vram", "--ram", "--timeline", "--activations"), Set.of("--hybrid", "--no-hybrid", "--int8-activations"));
        if (!a.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + a.positional().getFirst());
        }
        int prompt = a.integer("-p", 128);
        int decode = a.integer("-n", 64);
        if (prompt < 1 || decode < 1) {
            throw new UsageException("-p and -n must be at least 1");
        }
        int threads = a.integer("--threads", Runtime.getRuntime().availableProcessors());
        Backend backend = ModelOptions.backend(a);
        Model.Builder builder = Model.builder(a.model()).threads(threads).contextLength(prompt + decode + 2)
                .batchSize(prompt).backend(backend);
        ModelOptions.tiering(a, builder);
        String timeline = a.string("--timeline", null);
        if (timeline != null && a.string("--vram", null) == null && a.string("--ram", null) == null) {
            throw new UsageException("--timeline draws layer streaming: give --vram (and --ram) so that layers stream");
        }
        try (Model model = builder.open()) {
            int vocab = model.config().vocabSize();
            SplittableRandom rnd = new SplittableRandom(1);
            int[] tokens = rnd.ints(prompt + decode, 0, vocab).toArray();

            // Warm-up as long as the measurement: the launch path must be JIT-compiled before it is timed.
            for (int round = 0; round < 2; round++) {
                try (Session warm = model.newSession()) {
                    int next = warm.feedArgmax(Arrays.copyOf(tokens, prompt));
                    for (int i = 0; i < decode; i++) {
                        next = warm.feedArgmax(next);
                    }
                }
            }

            double prefill;
            double dec;
            TierStats decodeStats;
            Optional<HybridStats> hybridDecode;
            LayerTimeline trace = null;
            try (Session s = model.newSession()) {
                long t0 = System.nanoTime();
                int next = s.feedArgmax(Arrays.copyOf(tokens, prompt));
                prefill = (System.nanoTime() - t0) * 1e-9;
                // One token before the timer: a session's first one-token step captures and instantiates its
                // CUDA graph, once per session (on the H200 the 8B bench read 0.14 ms per token slower than
                // DecodeStepProfile's steady feedArgmax with it inside the timer).
                next = s.feedArgmax(next);
                TierStats beforeDecode = model.tierStats();
                Optional<HybridStats> hybridBefore = model.hybridStats();
                long t1 = System.nanoTime();
                for (int i = 0; i < decode; i++) {
                    next = s.feedArgmax(next);
                }
                dec = (System.nanoTime() - t1) * 1e-9;
                decodeStats = model.tierStats().since(beforeDecode);
                hybridDecode = model.hybridStats().map(h -> h.since(hybridBefore.orElseThrow()));
                if (timeline != null) {
                    trace = model.timeline(s, next);
                }
            }

            boolean gpu = model.backend() == Backend.CUDA;
            double bandwidth;
            if (gpu) {
                try (Cuda cuda = Cuda.open()) {
                    bandwidth = DeviceCopyBandwidth.measure(cuda, 1L << 30, 11);
                }
            } else {
                try (WorkerPool pool = new WorkerPool(threads)) {
                    bandwidth = ReadBandwidth.measure(pool, 1L << 30, 3);
                }
            }
            long bytes = model.weightBytesPerToken();
            double rate = decode / dec;
            out.printf(Locale.ROOT, "model     %s (%d layers, n_embd %d), %s%n", model.path().getFileName(),
                    model.config().blockCount(), model.config().embeddingLength(), model.engineName());
            out.printf(Locale.ROOT, "prefill   %d tokens in %.2f s: %.2f tok/s%n", prompt, prefill, prompt / prefill);
            out.printf(Locale.ROOT, "decode    %d tokens in %.2f s: %.2f tok/s%n", decode, dec, rate);
            out.printf(Locale.ROOT, "weights   %.3f GB read per token: %.2f GB/s while decoding%n", bytes / 1e9,
                    bytes * rate / 1e9);
            out.printf(Locale.ROOT, "memory    %.2f GB/s measured %s: decode at %.0f%% of it%n",
                    bandwidth / 1e9, gpu ? "device copy bandwidth (read + write)" : "read bandwidth",
                    100 * bytes * rate / bandwidth);
            if (model.tierPlan().isPresent()) {
                TierPlan plan = model.tierPlan().get();
                out.println("tiers     " + plan.summary(model.path().getFileName().toString()));
                out.println("streaming decode, " + decodeStats.perPassSummary());
                hybridDecode.ifPresent(h -> out.println(h.perPassSummary(decodeStats.passes())));
                for (String line : StreamingReport.bounds(plan, rate, StreamingRates.hostToDevice(model))) {
                    out.println("bound     " + line);
                }
            }
            for (String line : StreamingReport.memory(model.tierPlan(), !gpu, model.path())) {
                out.println("memory    " + line);
            }
            if (timeline != null) {
                Files.writeString(Path.of(timeline),
                        TimelineSvg.render(trace, model.path().getFileName() + ", one decoded token"));
                out.println("timeline  " + timeline + " (" + trace.layers().size() + " layers, one token)");
            }
        }
        return 0;
    }
}
