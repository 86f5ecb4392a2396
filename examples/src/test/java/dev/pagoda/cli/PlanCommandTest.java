package dev.pagoda.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** pagoda plan on stories260K: the summary line, the table, the minimum budget error; --vram on run. */
class PlanCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String model() {
        String shared = System.getProperty("pagoda.shared");
        Path p = shared == null ? null : Path.of(shared, "reference", "models", "stories260K.gguf");
        Assumptions.assumeTrue(p != null && Files.isRegularFile(p),
                "stories260K.gguf not found under pagoda.shared = " + shared + ": skipping the plan CLI tests");
        return p.toString();
    }

    @Test
    void aTooSmallBudgetSaysTheMinimumAndTheMinimumWorks() {
        String model = model();
        assertThat(run("plan", "-m", model, "--vram", "1k", "--ctx", "64")).isEqualTo(Main.EXIT_FAILURE);
        String error = err.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("at least .* \\((\\d+) bytes\\)").matcher(error);
        assertThat(m.find()).as(error).isTrue();
        String minimum = m.group(1);

        assertThat(run("plan", "-m", model, "--vram", minimum, "--ctx", "64")).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines().findFirst().orElseThrow()).matches(
                "stories260K \\| tier A 0 \\| tier B 5 layers [0-9.]+ [kMG]B \\| tier C 0 \\| predicted [0-9.]+ tok/s \\(PCIe 54 GB/s\\)");
        assertThat(text.lines().filter(l -> l.matches("\\d+ +B .*"))).hasSize(5);
    }

    @Test
    void aLargeBudgetKeepsEverythingResident() {
        assertThat(run("plan", "-m", model(), "--vram", "1g", "--ram", "1g", "--pcie", "25")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("stories260K | tier A 5 layers")
                .contains("(PCIe 25 GB/s)");
    }

    @Test
    void badSizesAreUsageErrors() {
        assertThat(run("plan", "-m", model(), "--vram", "24x")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--vram: byte size '24x' has an unknown unit 'x'");
        assertThat(run("run", "-m", model(), "-p", "Once", "--vram", "lots")).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void runWithBudgetsGeneratesTheSameText() throws Exception {
        String model = model();
        assertThat(run("run", "-m", model, "-p", "Once upon a time", "-n", "4", "--temp", "0", "--ctx", "32",
                "--vram", "900k", "--ram", "600k", "--stats")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String streamed = out.toString(StandardCharsets.UTF_8);
        assertThat(run("run", "-m", model, "-p", "Once upon a time", "-n", "4", "--temp", "0", "--ctx", "32")).isZero();
        assertThat(streamed).isEqualTo(out.toString(StandardCharsets.UTF_8));
    }
}
