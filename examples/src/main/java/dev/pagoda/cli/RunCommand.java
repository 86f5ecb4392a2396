package dev.pagoda.cli;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Generation;
import dev.pagoda.core.GenerationStats;
import dev.pagoda.core.Model;
import dev.pagoda.core.hybrid.HybridStats;
import dev.pagoda.core.tier.StreamingReport;
import dev.pagoda.core.tier.TierStats;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@code pagoda run}: generates text from a prompt on the GPU or CPU, streaming it to stdout. */
final class RunCommand implements Command {

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String arguments() {
        return "-m MODEL -p PROMPT [-n N] [--temp T] [--top-k K] [--top-p P] [--min-p P] [--repeat-penalty R] "
                + "[--seed S] [--ctx C] [--threads T] [--backend cpu|cuda|auto] [--vram 24g] [--ram 48g] [--nvme MANIFEST] [--stats] [--hybrid|--no-hybrid] [--activations f32|int16|int8]";
    }

    @Override
    public String summary() {
        return "generate text from a prompt (temperature 0 = greedy); speeds go to stderr";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Arguments a = new Arguments(args, Set.of("-m|--model", "-p|--prompt", "-n|--n-predict", "--temp",
                "--top-k", "--top-p", "--min-p", "--repeat-penalty", "--seed", "--ctx|-c", "--threads|-t", "--backend",
                "--vram", "--ram", "--nvme", "--activations"), Set.of("--stats", "--hybrid", "--no-hybrid", "--int8-activations"));
        if (!a.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + a.positional().getFirst());
        }
        String prompt = a.required("-p");
        double temp = a.number("--temp", Generation.DEFAULT_TEMPERATURE);
        Generation g = temp <= 0 ? Generation.greedy() : Generation.sampled(temp);
        g = g.maxTokens(a.integer("-n", 128))
                .topK(a.integer("--top-k", Generation.DEFAULT_TOP_K))
                .topP(a.number("--top-p", Generation.DEFAULT_TOP_P))
                .minP(a.number("--min-p", Generation.DEFAULT_MIN_P))
                .repeatPenalty(a.number("--repeat-penalty", Generation.DEFAULT_REPEAT_PENALTY));
        if (a.flag("--seed")) {
            g = g.seed(a.longValue("--seed", 0));
        }
        try (Model model = ModelOptions.open(a)) {
            TierStats before = model.tierStats();
            Optional<HybridStats> hybridBefore = model.hybridStats();
            out.print(prompt);
            GenerationStats s = model.generate(prompt, g, piece -> {
                out.print(piece);
                out.flush();
            });
            out.println();
            out.flush();
            System.err.printf(Locale.ROOT, "prompt: %d tokens, %.2f tok/s; decode: %d tokens, %.2f tok/s (%s, %s, stop: %s)%n",
                    s.promptTokens(), s.promptTokensPerSecond(), s.generatedTokens(), s.decodeTokensPerSecond(),
                    model.path().getFileName(), model.engineName(), s.stopReason().name().toLowerCase(Locale.ROOT));
            if (a.flag("--stats")) {
                TierStats streamed = model.tierStats().since(before);
                model.tierPlan().ifPresent(p -> {
                    System.err.println(p.summary(model.path().getFileName().toString()));
                    System.err.println("streaming: " + streamed.perPassSummary());
                    StreamingReport.bounds(p, s.decodeTokensPerSecond(), StreamingRates.hostToDevice(model))
                            .forEach(System.err::println);
                });
                model.hybridStats().ifPresent(h -> System.err.println(
                        h.since(hybridBefore.orElseThrow()).perPassSummary(streamed.passes())));
                StreamingReport.memory(model.tierPlan(), model.backend() == Backend.CPU, model.path())
                        .forEach(System.err::println);
            }
        }
        return 0;
    }
}
