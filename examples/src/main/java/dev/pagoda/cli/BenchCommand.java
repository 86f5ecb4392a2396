package dev.pagoda.cli;

import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
import dev.pagoda.core.cpu.ReadBandwidth;
import dev.pagoda.core.cpu.WorkerPool;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code pagoda bench}: prefill and decode speed of a model on the CPU, and decode's weight-read
 * rate against the measured memory read bandwidth (decode reads every weight byte per token).
 */
final class BenchCommand implements Command {

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String arguments() {
        return "-m MODEL [-p 128] [-n 64] [--threads T] [--vram 24g] [--ram 48g] [--timeline FILE.svg]";
    }

    @Override
    public String summary() {
        return "measure prefill and decode tokens/s and weight GB/s against memory bandwidth";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Arguments a = new Arguments(args, Set.of("-m|--model", "-p", "-n", "--threads|-t", "--ctx|-c",
                "--vram", "--ram", "--timeline"), Set.of());
        if (!a.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + a.positional().getFirst());
        }
        int prompt = a.integer("-p", 128);
        int decode = a.integer("-n", 64);
        if (prompt < 1 || decode < 1) {
            throw new UsageException("-p and -n must be at least 1");
        }
        int threads = a.integer("--threads", Runtime.getRuntime().availableProcessors());
        Model.Builder builder = Model.builder(a.model()).threads(threads).contextLength(prompt + decode + 1)
                .batchSize(prompt);
        try {
            if (a.string("--vram", null) != null) {
                builder.vramBudget(a.string("--vram", null));
            }
            if (a.string("--ram", null) != null) {
                builder.ramBudget(a.string("--ram", null));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String timeline = a.string("--timeline", null);
        if (timeline != null && a.string("--vram", null) == null && a.string("--ram", null) == null) {
            throw new UsageException("--timeline draws layer streaming: give --vram (and --ram) so that layers stream");
        }
        try (Model model = builder.open()) {
            int vocab = model.config().vocabSize();
            SplittableRandom rnd = new SplittableRandom(1);
            int[] tokens = rnd.ints(prompt + decode, 0, vocab).toArray();

            Session warm = model.newSession();
            warm.feed(java.util.Arrays.copyOf(tokens, Math.min(8, prompt)));
            for (int i = 0; i < 3; i++) {
                warm.feed(tokens[i]);
            }

            Session s = model.newSession();
            long t0 = System.nanoTime();
            s.feed(java.util.Arrays.copyOf(tokens, prompt));
            double prefill = (System.nanoTime() - t0) * 1e-9;
            dev.pagoda.core.tier.TierStats beforeDecode = model.tierStats();
            long t1 = System.nanoTime();
            for (int i = 0; i < decode; i++) {
                s.feed(tokens[prompt + i]);
            }
            double dec = (System.nanoTime() - t1) * 1e-9;
            dev.pagoda.core.tier.TierStats decodeStats = model.tierStats().since(beforeDecode);
            dev.pagoda.core.tier.LayerTimeline trace = timeline == null ? null : model.timeline(s, tokens[0]);

            double bandwidth;
            try (WorkerPool pool = new WorkerPool(threads)) {
                bandwidth = ReadBandwidth.measure(pool, 1L << 30, 3);
            }
            long bytes = model.weightBytesPerToken();
            double rate = decode / dec;
            out.printf(Locale.ROOT, "model     %s (%d layers, n_embd %d), %d threads%n", model.path().getFileName(),
                    model.config().blockCount(), model.config().embeddingLength(), model.threads());
            out.printf(Locale.ROOT, "prefill   %d tokens in %.2f s: %.2f tok/s%n", prompt, prefill, prompt / prefill);
            out.printf(Locale.ROOT, "decode    %d tokens in %.2f s: %.2f tok/s%n", decode, dec, rate);
            out.printf(Locale.ROOT, "weights   %.3f GB read per token: %.2f GB/s while decoding%n", bytes / 1e9,
                    bytes * rate / 1e9);
            out.printf(Locale.ROOT, "memory    %.2f GB/s measured read bandwidth: decode at %.0f%% of it%n",
                    bandwidth / 1e9, 100 * bytes * rate / bandwidth);
            if (model.tierPlan().isPresent()) {
                out.println("tiers     " + model.tierPlan().get().summary(model.path().getFileName().toString()));
                out.println("streaming decode, " + decodeStats.perPassSummary());
            }
            if (timeline != null) {
                java.nio.file.Files.writeString(java.nio.file.Path.of(timeline), dev.pagoda.core.tier.TimelineSvg
                        .render(trace, model.path().getFileName() + ", one decoded token"));
                out.println("timeline  " + timeline + " (" + trace.layers().size() + " layers, one token)");
            }
        }
        return 0;
    }
}
