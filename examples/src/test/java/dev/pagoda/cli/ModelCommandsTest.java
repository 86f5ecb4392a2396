package dev.pagoda.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pagoda run / eval / tokenize on stories260K, and their one-line errors. */
class ModelCommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Path reference(String relative) {
        String shared = System.getProperty("pagoda.shared");
        Path p = shared == null ? null : Path.of(shared, "reference", relative);
        Assumptions.assumeTrue(p != null && Files.isRegularFile(p),
                relative + " not found under pagoda.shared = " + shared + ": skipping the CLI run on a real model");
        return p;
    }

    @Test
    void tokenizePrintsIdsOnOneLine() {
        String model = reference("models/stories260K.gguf").toString();
        assertThat(run("tokenize", "-m", model, "Once upon a time")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1,403,407,261,378" + System.lineSeparator());
        out.reset();
        assertThat(run("tokenize", "-m", model, "--no-bos", "Once upon a time")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("403,407,261,378");
    }

    @Test
    void evalWritesLlamaCppLogits(@TempDir Path dir) throws IOException {
        String model = reference("models/stories260K.gguf").toString();
        float[] expected = new float[512];
        ByteBuffer.wrap(Files.readAllBytes(reference("stories260K/prompt1.f32kv.logits.f32.bin")), 0, 2048)
                .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);
        Path file = dir.resolve("logits.bin");
        assertThat(run("eval", "-m", model, "--tokens", "1,403,407,261,378", "--logits", file.toString())).isZero();
        float[] got = new float[512];
        ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
        for (int i = 0; i < 512; i++) {
            assertThat(got[i]).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-3f));
        }
        assertThat(run("eval", "-m", model, "--tokens", "1,403,407", "--logits", file.toString(), "--all")).isZero();
        assertThat(Files.size(file)).isEqualTo(3 * 512 * 4);
    }

    /**
     * --int8-activations and --activations f32|int16|int8 are accepted by run, eval and bench and change
     * nothing where they do not apply: the CPU engine, and stories260K's F32 matrices (integer x covers Q4_0,
     * Q8_0, Q4_K and Q6_K on CUDA only).
     */
    @Test
    void int8ActivationsFlagLeavesFloatModelsAsTheyAre(@TempDir Path dir) throws IOException {
        String model = reference("models/stories260K.gguf").toString();
        Path plain = dir.resolve("plain.bin");
        Path int8 = dir.resolve("int8.bin");
        assertThat(run("eval", "-m", model, "--tokens", "1,403,407,261,378", "--logits", plain.toString())).isZero();
        assertThat(run("eval", "-m", model, "--tokens", "1,403,407,261,378", "--logits", int8.toString(),
                "--int8-activations")).isZero();
        assertThat(Files.readAllBytes(int8)).isEqualTo(Files.readAllBytes(plain));
        out.reset();
        assertThat(run("run", "-m", model, "-p", "Once upon a time", "-n", "8", "--temp", "0", "--threads", "2",
                "--int8-activations")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Once upon a time, there was a little girl");
        assertThat(run("bench", "-m", model, "-p", "4", "-n", "2", "--threads", "2", "--int8-activations")).isZero();
        for (String activations : new String[] {"f32", "int16", "int8"}) {
            Path other = dir.resolve(activations + ".bin");
            assertThat(run("eval", "-m", model, "--tokens", "1,403,407,261,378", "--logits", other.toString(),
                    "--activations", activations)).isZero();
            assertThat(Files.readAllBytes(other)).as("--activations %s", activations).isEqualTo(Files.readAllBytes(plain));
        }
    }

    @Test
    void badActivationsAreUsageErrors() {
        String model = reference("models/stories260K.gguf").toString();
        assertThat(run("eval", "-m", model, "--tokens", "1,403", "--logits", "a.bin", "--activations", "int4"))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--activations must be f32, int16 or int8, got int4");
        err.reset();
        assertThat(run("eval", "-m", model, "--tokens", "1,403", "--logits", "a.bin", "--activations", "f32",
                "--int8-activations")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("contradict");
    }

    @Test
    void runStreamsGreedyText() {
        String model = reference("models/stories260K.gguf").toString();
        assertThat(run("run", "-m", model, "-p", "Once upon a time", "-n", "8", "--temp", "0", "--threads", "2")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Once upon a time, there was a little girl");
    }

    @Test
    void badArgumentsGiveOneLineErrors() {
        assertThat(run("run", "-m", "/no/such/model.gguf", "-p", "x")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("pagoda run: no such file: /no/such/model.gguf"
                + System.lineSeparator());
        err.reset();
        assertThat(run("eval", "--tokens", "1,x", "--logits", "a.bin", "-m", "m")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--tokens expects comma-separated integers")
                .doesNotContain("\tat ");
        err.reset();
        String directory = System.getProperty("java.io.tmpdir");
        assertThat(run("run", "-m", directory, "-p", "x")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("pagoda run: " + directory
                + ": not a regular file (a GGUF model is one)" + System.lineSeparator());
        err.reset();
        assertThat(run("inspect", directory)).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("pagoda inspect: " + directory
                + ": not a regular file (a GGUF model is one)" + System.lineSeparator());
        err.reset();
        assertThat(run("run", "--bogus")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --bogus");
    }

    @Test
    void nvmeManifestOptionReachesTheModelBuilder(@TempDir Path dir) throws IOException {
        String model = reference("models/stories260K.gguf").toString();
        Path notAManifest = Files.writeString(dir.resolve("m.manifest"), "not a manifest\n");
        // The option is accepted by run and eval and handed to Model.builder(..).nvme(..), which
        // refuses this file before any device is touched: one line, no stack trace.
        assertThat(run("eval", "-m", model, "--tokens", "1,403", "--logits", dir.resolve("l.bin").toString(),
                "--nvme", notAManifest.toString())).isEqualTo(Main.EXIT_FAILURE);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).startsWith("pagoda eval: ").contains("m.manifest").doesNotContain("\tat ");
        assertThat(e.strip().lines()).hasSize(1);
    }
}
