package dev.pagoda.core.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PCIe rate is measured once per device key, read back afterwards, and measured again when asked. */
class PinnedCopyRateCacheTest {

    @Test
    void measuresOncePerKeyAndAgainWhenAsked(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub").resolve("pcie.properties");
        PinnedCopyRateCache cache = new PinnedCopyRateCache(file, cuda -> {
            throw new AssertionError("no device in this test");
        });
        AtomicInteger probes = new AtomicInteger();
        assertThat(cache.rate("h2d.A", () -> 50e9 + probes.incrementAndGet(), false)).isEqualTo(50e9 + 1);
        assertThat(Files.isRegularFile(file)).isTrue();
        assertThat(new PinnedCopyRateCache(file, null).rate("h2d.A", () -> 1, false))
                .as("read from the file by another instance").isEqualTo(50e9 + 1);
        assertThat(cache.rate("h2d.B", () -> 20e9 + probes.incrementAndGet(), false))
                .as("another device measures").isEqualTo(20e9 + 2);
        assertThat(cache.rate("h2d.A", () -> 30e9 + probes.incrementAndGet(), true))
                .as("forced").isEqualTo(30e9 + 3);
        assertThat(cache.rate("h2d.A", () -> 1, false)).as("the forced rate was stored").isEqualTo(30e9 + 3);
        assertThat(probes).hasValue(3);
    }

    @Test
    void aDamagedEntryIsMeasuredAgain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pcie.properties");
        Files.writeString(file, "h2d.A=not-a-number\n");
        PinnedCopyRateCache cache = new PinnedCopyRateCache(file, null);
        assertThat(cache.rate("h2d.A", () -> 42e9, false)).isEqualTo(42e9);
        assertThat(cache.rate("h2d.A", () -> 1, false)).isEqualTo(42e9);
    }
}
