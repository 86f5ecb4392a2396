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
 * Asking for every position's logits when they cannot fit in the Java heap is refused before anything
 * runs, with the sizes and what to do, not an OutOfMemoryError half-way through a long prefill. Run in a
 * child JVM with a 64 MB heap (the test JVM's heap may hold anything a test could ask for).
 */
class AllLogitsHeapTest {

    /** The child: stories260K (512-token vocabulary) asked for 200,000 rows of logits, 390 MiB. */
    public static void main(String[] args) throws IOException {
        try (Model model = Model.builder(Path.of(args[0])).contextLength(200_000).threads(1).open();
                Session session = model.newSession()) {
            try {
                session.feedAll(new int[200_000]);
                System.out.println("fed: no exception");
            } catch (IllegalArgumentException e) {
                System.out.println("refused: " + e.getMessage());
                System.out.println("position after: " + session.position());
            }
        }
    }

    @Test
    void allLogitsBeyondTheHeapAreRefusedBeforeFeeding() throws IOException, InterruptedException {
        Path model = ReferenceData.file("models/stories260K.gguf");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                AllLogitsHeapTest.class.getName(), model.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(p.exitValue()).as("child exit status; output:%n%s", out).isZero();
        assertThat(out).contains("refused: the logits of all 200000 positions (200000 x 512 floats, 390 MiB) do not fit"
                + " in the Java heap").contains("-Xmx").contains("position after: 0");
    }
}
