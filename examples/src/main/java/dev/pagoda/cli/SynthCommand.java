package dev.pagoda.cli;

import dev.pagoda.core.synth.FileType;
import dev.pagoda.core.synth.ModelShape;
import dev.pagoda.core.synth.ModelSynthesizer;
import dev.pagoda.core.synth.PlannedTensor;
import dev.pagoda.core.synth.SynthOptions;
import dev.pagoda.core.synth.SynthResult;
import dev.pagoda.core.synth.WeightMode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code pagoda synth}: writes a GGUF with the exact tensor names, shapes and llama-quantize quant
 * mix of a real Llama model, random weights and a working byte-level BPE tokenizer, for benchmarks
 * and tests that need a big model on the spot. The summary goes to stdout, the write rate to stderr.
 */
final class SynthCommand implements Command {

    @Override
    public String name() {
        return "synth";
    }

    @Override
    public String arguments() {
        return "--like " + ModelShape.PRESETS.stream().map(ModelShape::name).collect(Collectors.joining("|"))
                + " --type " + Arrays.stream(FileType.values()).map(FileType::cliName)
                        .collect(Collectors.joining("|"))
                + " [--seed S] [--layers N] [--fast|--exact] [--threads N] -o FILE";
    }

    @Override
    public String summary() {
        return "write a random-weight GGUF shaped and quantized like a real Llama model";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        ModelShape shape = null;
        FileType type = null;
        long seed = 1;
        int layers = 0;
        WeightMode mode = null;
        int threads = Runtime.getRuntime().availableProcessors();
        Path output = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--like" -> {
                    String v = value(args, ++i, a);
                    shape = ModelShape.preset(v).orElseThrow(() -> new UsageException("unknown model '" + v
                            + "' for --like (known: " + ModelShape.PRESETS.stream().map(ModelShape::name).toList() + ")"));
                }
                case "--type" -> {
                    String v = value(args, ++i, a);
                    type = FileType.of(v).orElseThrow(() -> new UsageException("unknown file type '" + v
                            + "' for --type (known: " + java.util.Arrays.stream(FileType.values()).map(FileType::cliName)
                                    .collect(java.util.stream.Collectors.joining(", ")) + ")"));
                }
                case "--seed" -> seed = number(value(args, ++i, a), a, Long.MIN_VALUE);
                case "--layers" -> layers = (int) number(value(args, ++i, a), a, 1);
                case "--threads" -> threads = (int) number(value(args, ++i, a), a, 1);
                case "--fast" -> mode = WeightMode.FAST;
                case "--exact" -> mode = WeightMode.EXACT;
                case "-o", "--output" -> output = Path.of(value(args, ++i, a));
                default -> throw new UsageException("unknown argument '" + a + "'");
            }
        }
        if (shape == null || type == null || output == null) {
            throw new UsageException("--like, --type and -o are required");
        }
        if (layers > 0) {
            shape = shape.withBlockCount(layers);
        }
        if (mode == null) {
            mode = SynthOptions.defaultMode(shape, type);
        }
        SynthResult result = ModelSynthesizer.write(new SynthOptions(shape, type, seed, mode, threads), output);
        printSummary(result, shape, type, mode, out);
        System.err.printf(Locale.ROOT, "pagoda synth: %.1f MB in %.2f s = %.0f MB/s (%s weights, %d threads)%n",
                result.bytes() / 1e6, result.seconds(), result.megabytesPerSecond(),
                mode.name().toLowerCase(Locale.ROOT), threads);
        return 0;
    }

    private static void printSummary(SynthResult r, ModelShape shape, FileType type, WeightMode mode,
            PrintStream out) {
        out.printf(Locale.ROOT, "%s: %s %s, %d layers, %d tensors, %d bytes, seed-derived %s weights%n",
                r.path(), shape.name(), type.cliName(), shape.blockCount(), r.tensors().size(), r.bytes(),
                mode.name().toLowerCase(Locale.ROOT));
        Map<String, long[]> byType = new TreeMap<>();
        for (PlannedTensor t : r.tensors()) {
            long[] acc = byType.computeIfAbsent(t.type().name(), k -> new long[2]);
            acc[0]++;
            acc[1] += t.byteSize();
        }
        byType.forEach((name, acc) -> out.printf(Locale.ROOT, "  %-5s %5d tensors %,16d bytes%n", name, acc[0], acc[1]));
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    private static long number(String v, String option, long min) throws UsageException {
        try {
            long n = Long.parseLong(v);
            if (n < min) {
                throw new UsageException(option + " must be at least " + min + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a whole number, got '" + v + "'");
        }
    }
}
