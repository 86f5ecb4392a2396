package dev.pagoda.cli;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Model;
import dev.pagoda.cuda.kernels.MatVecInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Opens the model of {@code -m} with {@code --ctx}, {@code --threads} and {@code --backend}, shared by the model subcommands. */
final class ModelOptions {
    private ModelOptions() {}

    static Model open(Arguments a) throws IOException, UsageException {
        Model.Builder b = Model.builder(a.model());
        int ctx = a.integer("--ctx", 0);
        int threads = a.integer("--threads", 0);
        if (ctx < 0 || threads < 0) {
            throw new UsageException("--ctx and --threads must be positive");
        }
        if (ctx > 0) {
            b.contextLength(ctx);
        }
        if (threads > 0) {
            b.threads(threads);
        }
        b.backend(backend(a));
        tiering(a, b);
        return b.open();
    }

    /**
     * {@code --vram}, {@code --ram}, {@code --nvme}, {@code --hybrid}, {@code --no-hybrid} and
     * {@code --activations f32|int16|int8} / {@code --int8-activations} (how CUDA decode's matvecs take their
     * input: float, 16-bit or 8-bit integers per 32 values), those the
     * command accepts (its {@link Arguments} rejects the others). Without either hybrid flag the
     * builder's default holds (on for CUDA streaming, off on the CPU).
     */
    static void tiering(Arguments a, Model.Builder b) throws UsageException {
        if (a.flag("--hybrid") && a.flag("--no-hybrid")) {
            throw new UsageException("--hybrid and --no-hybrid contradict each other: give one");
        }
        if (a.flag("--hybrid")) {
            b.hybrid(true);
        }
        if (a.flag("--no-hybrid")) {
            b.hybrid(false);
        }
        String activations = a.string("--activations", null);
        if (a.flag("--int8-activations")) {
            if (activations != null && !activations.equals("int8")) {
                throw new UsageException("--int8-activations and --activations " + activations + " contradict each other: give one");
            }
            activations = "int8";
        }
        if (activations != null) {
            b.activations(switch (activations) {
                case "f32" -> MatVecInput.FLOAT32;
                case "int16" -> MatVecInput.INT16;
                case "int8" -> MatVecInput.INT8;
                default -> throw new UsageException("--activations must be f32, int16 or int8, got " + activations);
            });
        }
        try {
            if (a.string("--vram", null) != null) {
                b.vramBudget(a.string("--vram", null));
            }
            if (a.string("--ram", null) != null) {
                b.ramBudget(a.string("--ram", null));
            }
            if (a.string("--nvme", null) != null) {
                b.nvme(Path.of(a.string("--nvme", null)));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** {@code --backend cpu|cuda|auto} (default auto). */
    static Backend backend(Arguments a) throws UsageException {
        String name = a.string("--backend", "auto");
        try {
            return Backend.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--backend must be cpu, cuda or auto, got " + name);
        }
    }
}
