package dev.pagoda.cli;

import dev.pagoda.core.Model;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code pagoda eval}: runs token ids through the model and writes logits as float32 little-endian. */
final class EvalCommand implements Command {

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String arguments() {
        return "-m MODEL --tokens 1,2,3 --logits OUT.bin [--all] [--ctx C] [--threads T] [--backend cpu|cuda|auto]"
                + " [--vram 24g] [--ram 48g] [--nvme MANIFEST] [--activations f32|int16|int8]";
    }

    @Override
    public String summary() {
        return "write the last position's logits (every position's with --all) as float32 LE";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Arguments a = new Arguments(args, Set.of("-m|--model", "--tokens", "--logits", "--ctx|-c", "--threads|-t",
                "--backend", "--vram", "--ram", "--nvme", "--activations"), Set.of("--all", "--int8-activations"));
        if (!a.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + a.positional().getFirst());
        }
        int[] tokens = parseTokens(a.required("--tokens"));
        Path target = Path.of(a.required("--logits"));
        try (Model model = ModelOptions.open(a)) {
            float[][] rows = a.flag("--all") ? model.evaluateAll(tokens) : new float[][] {model.evaluate(tokens)};
            try (OutputStream os = Files.newOutputStream(target)) {
                for (float[] row : rows) {
                    ByteBuffer b = ByteBuffer.allocate(row.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(row);
                    os.write(b.array());
                }
            }
            out.printf("wrote %d x %d logits to %s%n", rows.length, rows[0].length, target);
        }
        return 0;
    }

    static int[] parseTokens(String list) throws UsageException {
        String[] parts = list.split(",");
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--tokens expects comma-separated integers, got '" + parts[i] + "'");
            }
        }
        return ids;
    }
}
