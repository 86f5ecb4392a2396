package dev.pagoda.cli;

import dev.pagoda.gguf.GgufFile;
import dev.pagoda.gguf.Metadata;
import dev.pagoda.gguf.MetadataValue;
import dev.pagoda.gguf.MetadataValue.ArrayValue;
import dev.pagoda.gguf.TensorInfo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pagoda inspect MODEL}: what a GGUF model is (architecture, hyper-parameters, tokenizer)
 * and what it holds (every tensor, bytes per layer, total), read from its header alone.
 */
final class InspectCommand implements Command {
    private static final Pattern LAYER = Pattern.compile("blk\\.(\\d+)\\..*");

    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String arguments() {
        return "MODEL";
    }

    @Override
    public String summary() {
        return "show a GGUF model's architecture, hyper-parameters, tokenizer and tensors";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        if (args.size() != 1 || args.getFirst().startsWith("-")) {
            throw new UsageException(args.isEmpty() ? "missing MODEL" : "expected one MODEL, got " + args);
        }
        Path path = Path.of(args.getFirst());
        try (GgufFile f = GgufFile.open(path)) {
            print(f, out);
        }
        return 0;
    }

    private static void print(GgufFile f, PrintStream out) {
        Metadata md = f.metadata();
        long fileBytes = 0;
        for (int s = 0; s < f.shardCount(); s++) {
            fileBytes += f.shardSize(s);
        }
        out.printf("model         %s%n", f.path());
        out.printf("format        GGUF v%d, %s%s, %d metadata keys, %d tensors, alignment %d%n", f.version(),
                human(fileBytes), f.shardCount() > 1 ? " in " + f.shardCount() + " files" : "", md.size(),
                f.tensors().size(), f.alignment());
        String arch = md.getString("general.architecture", "(none)");
        out.printf("architecture  %s%s%n", arch,
                md.contains("general.name") ? "  (name: " + md.get("general.name") + ")" : "");

        out.println();
        out.println("hyper-parameters");
        String prefix = arch + ".";
        int shown = 0;
        for (Map.Entry<String, MetadataValue> e : md.asMap().entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.printf("  %-44s %s%n", e.getKey(), e.getValue());
                shown++;
            }
        }
        if (shown == 0) {
            out.println("  (no " + prefix + "* keys)");
        }

        out.println();
        out.println("tokenizer");
        out.printf("  %-44s %s%n", "model", md.getString("tokenizer.ggml.model", "(none)"));
        if (md.find("tokenizer.ggml.tokens").orElse(null) instanceof ArrayValue tokens) {
            out.printf("  %-44s %d%n", "vocab size", tokens.size());
        }
        if (md.find("tokenizer.ggml.merges").orElse(null) instanceof ArrayValue merges) {
            out.printf("  %-44s %d%n", "merges", merges.size());
        }
        for (String key : md.keys()) {
            if (key.startsWith("tokenizer.ggml.") && !(md.get(key) instanceof ArrayValue)
                    && !key.equals("tokenizer.ggml.model")) {
                out.printf("  %-44s %s%n", key.substring("tokenizer.ggml.".length()), md.get(key));
            }
        }

        out.println();
        out.println("tensors");
        int nameWidth = 4;
        for (TensorInfo t : f.tensors()) {
            nameWidth = Math.max(nameWidth, t.name().length());
        }
        String row = "  %-" + nameWidth + "s  %-7s %-22s %15s%s%n";
        out.printf(row, "name", "type", "shape (ne)", "bytes", f.shardCount() > 1 ? "  shard" : "");
        Map<Integer, long[]> layers = new TreeMap<>();
        long total = 0;
        long outsideLayers = 0;
        for (TensorInfo t : f.tensors()) {
            out.printf(row, t.name(), t.type(), shape(t), String.format("%,d", t.byteSize()),
                    f.shardCount() > 1 ? "  " + t.shard() : "");
            total += t.byteSize();
            Matcher m = LAYER.matcher(t.name());
            if (m.matches() && m.group(1).length() < 9) {
                long[] sum = layers.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new long[2]);
                sum[0]++;
                sum[1] += t.byteSize();
            } else {
                outsideLayers += t.byteSize();
            }
        }

        out.println();
        out.println("bytes per layer");
        for (Map.Entry<Integer, long[]> e : layers.entrySet()) {
            out.printf("  blk.%-6d %3d tensors %15s  %s%n", e.getKey(), e.getValue()[0],
                    String.format("%,d", e.getValue()[1]), human(e.getValue()[1]));
        }
        out.printf("  %-10s %3s         %15s  %s%n", "other", "", String.format("%,d", outsideLayers), human(outsideLayers));
        out.println();
        out.printf("total         %,d bytes (%s) in %d tensors, %d layers%n", total, human(total),
                f.tensors().size(), layers.size());
    }

    private static String shape(TensorInfo t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < t.rank(); i++) {
            sb.append(i == 0 ? "" : " x ").append(t.dim(i));
        }
        return sb.toString();
    }

    /** Bytes in binary units, three significant digits. */
    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
    }
}
