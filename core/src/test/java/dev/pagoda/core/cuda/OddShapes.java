package dev.pagoda.core.cuda;

import dev.pagoda.core.synth.FileType;
import dev.pagoda.core.synth.Llama3RopeScaling;
import dev.pagoda.core.synth.ModelShape;
import dev.pagoda.core.synth.ModelSynthesizer;
import dev.pagoda.core.synth.SynthOptions;
import dev.pagoda.core.synth.WeightMode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Tiny synthesized models whose widths are not multiples of 32, written at test time (nothing carried):
 * as float files they exercise the CUDA any-width kernels across a whole model; as Q4_K_M, llama.cpp's
 * fallback gives their 64-wide and 100-wide rows Q5_0 / F16, and Q5_0 is a type the kernels lack.
 */
final class OddShapes {
    /** 2 layers of 48 (6 heads of 8, GQA 6/2), FFN 100, 300 tokens. */
    static final ModelShape FLOAT = new ModelShape("odd-float", 48, 2, 6, 2, 100, 300, 256, 10000,
            new Llama3RopeScaling(8, 1, 4, 8192), false, 16);
    /** 1 layer of 64 (8 heads of 8, GQA 8/4), FFN 96: Q4_K_M falls back to Q5_0 for these rows. */
    static final ModelShape Q5_0_FALLBACK = new ModelShape("odd-q5_0", 64, 1, 8, 4, 96, 300, 256, 10000,
            new Llama3RopeScaling(8, 1, 4, 8192), false, 16);

    private OddShapes() {
    }

    static Path write(ModelShape shape, FileType type, Path dir) throws IOException {
        Path file = dir.resolve(shape.name() + "-" + type.cliName() + ".gguf");
        ModelSynthesizer.write(new SynthOptions(shape, type, 11, WeightMode.EXACT, 2), file);
        return file;
    }
}
