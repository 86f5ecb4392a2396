package dev.pagoda.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Path stories260K() {
        String shared = System.getProperty("pagoda.shared");
        Path model = shared == null ? null : Path.of(shared, "reference", "models", "stories260K.gguf");
        Assumptions.assumeTrue(model != null && Files.isRegularFile(model),
                "stories260K.gguf not found under pagoda.shared = " + shared + ": skipping inspect of a real model");
        return model;
    }

    @Test
    void inspectShowsArchitectureTokenizerTensorsAndLayerSizes() {
        assertThat(run("inspect", stories260K().toString())).isZero();
        assertThat(err()).isEmpty();
        String text = out();
        assertThat(text).contains("architecture  llama");
        assertThat(text).containsPattern("llama\\.block_count +5");
        assertThat(text).containsPattern("llama\\.embedding_length +64");
        assertThat(text).containsPattern("model +llama");
        assertThat(text).containsPattern("vocab size +512");
        assertThat(text).containsPattern("blk\\.0\\.ffn_down\\.weight +F32 +172 x 64 +44,032");
        // Per layer: 4 × 64×64-ish attention, 3 × 64×172 FFN, 2 norms, all F32.
        assertThat(text).containsPattern("blk\\.4 +9 tensors +181,760");
        assertThat(text).contains("total         1,171,200 bytes");
    }

    @Test
    void missingFileIsOneLineWithoutStackTrace() {
        assertThat(run("inspect", "/no/such/model.gguf")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err()).isEqualTo("pagoda inspect: no such file: /no/such/model.gguf" + System.lineSeparator());
        assertThat(out()).isEmpty();
    }

    @Test
    void notAGgufFileNamesTheProblem(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.gguf"), "this is not a model");
        assertThat(run("inspect", bad.toString())).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err().lines()).singleElement().asString().contains("not a GGUF file").contains("offset 0x0");
    }

    @Test
    void verboseAddsTheStackTrace(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.gguf"), "GGUF");
        assertThat(run("--verbose", "inspect", bad.toString())).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err()).contains("file truncated").contains("at dev.pagoda.gguf.");
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThat(run("inspect")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err()).contains("missing MODEL").contains("usage: pagoda inspect MODEL");
        assertThat(run("frobnicate")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err()).contains("unknown command 'frobnicate'");
        assertThat(run()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void helpListsEveryCommand() {
        assertThat(run("--help")).isZero();
        for (Command c : Main.COMMANDS) {
            assertThat(out()).contains(c.name() + " " + c.arguments()).contains(c.summary());
        }
    }
}
