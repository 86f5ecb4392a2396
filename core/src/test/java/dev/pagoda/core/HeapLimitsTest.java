package dev.pagoda.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.testing.ReferenceData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Requests whose buffers cannot fit in the Java heap are refused before anything runs, with the sizes and
 * what to change, not an OutOfMemoryError (half-way through a long prefill, for all-positions logits). Run in
 * a child JVM with a 64 MB heap: the test JVM's own heap may hold anything a test could ask for.
 */
class HeapLimitsTest {

    /** The child: stories260K (512-token vocabulary, 64-wide) asked for 200,000 rows of logits and for a 200,000-token batch. */
    public static void main(String[] args) throws IOException {
        Path model = Path.of(args[0]);
        try (Model m = Model.builder(model).contextLength(200_000).threads(1).open(); Session session = m.newSession()) {
            try {
                session.feedAll(new int[200_000]);
                System.out.println("fed: no exception");
            } catch (IllegalArgumentException e) {
                System.out.println("refused: " + e.getMessage());
                System.out.println("position after: " + session.position());
            }
        }
        try (Model m = Model.builder(model).contextLength(200_000).batchSize(200_000).threads(1).open()) {
            try (Session session = m.newSession()) {
                System.out.println("session: no exception");
            } catch (IllegalArgumentException e) {
                System.out.println("batch refused: " + e.getMessage());
            }
        }
    }

    @Test
    void allLogitsAndBatchesBeyondTheHeapAreRefusedBeforeRunning() throws IOException, InterruptedException {
        Path model = ReferenceData.file("models/stories260K.gguf");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                HeapLimitsTest.class.getName(), model.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(p.exitValue()).as("child exit status; output:%n%s", out).isZero();
        assertThat(out).contains("refused: the logits of all 200000 positions (200000 x 512 floats, 390 MiB): they do"
                + " not fit in the Java heap").contains("-Xmx").contains("position after: 0")
                .contains("batch refused: a batch of 200000 tokens needs ").contains("the Java heap (at most")
                .contains("use a smaller batch size");
    }
}
