package dev.pagoda.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.core.KvCacheType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A KV cache that grows past the Java heap ends in an exception that says so and what to do, not in an
 * OutOfMemoryError. Run in a child JVM with a 48 MB heap, since the test JVM's own heap may be large
 * enough for any cache a test could ask for.
 */
class KvCacheHeapTest {

    /** The child: a one-layer F16 cache of 4M positions x 64 grown to 1M positions (256 MB) in a 48 MB heap. */
    public static void main(String[] args) {
        KvCache cache = new KvCache(1, 4 << 20, 64, 64, KvCacheType.F16);
        cache.reserve(16);
        try {
            cache.reserve(1 << 20);
            System.out.println("grew: no exception");
        } catch (IllegalStateException e) {
            System.out.println("refused: " + e.getMessage());
            cache.reserve(32);   // still usable within what it holds
            System.out.println("still usable");
        }
    }

    @Test
    void growingPastTheHeapIsAClearException() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                KvCacheHeapTest.class.getName())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(p.exitValue()).as("child exit status; output:%n%s", out).isZero();
        assertThat(out).contains("refused: the KV cache cannot grow to 1048576 positions: the Java heap (at most")
                .contains("A F16 cache of 4194304 positions needs 1024 MiB in all")
                .contains("-Xmx")
                .contains("still usable");
    }
}
