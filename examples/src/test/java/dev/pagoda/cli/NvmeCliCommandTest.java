package dev.pagoda.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class NvmeCliCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listReadsSysfsOnlyAndSucceeds() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/class")),
                "no /sys/class on this machine: pagoda nvme list has no sysfs to read");
        assertThat(run("nvme", "list")).isZero();
        assertThat(err()).isEmpty();
        // One line per controller (PCI address first), then its block devices indented.
        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .allMatch(l -> l.matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7] .*") || l.startsWith("    "));
    }

    @Test
    void unknownSubcommandIsOneLine() {
        assertThat(run("nvme", "format")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err().lines()).singleElement().asString()
                .startsWith("pagoda nvme: unknown subcommand 'format'").contains("usage: pagoda nvme list");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void missingSubcommandOrArgumentsAreOneLine() {
        assertThat(run("nvme")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err().lines()).singleElement().asString().startsWith("pagoda nvme: missing subcommand");
        err.reset();
        assertThat(run("nvme", "bind")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err().lines()).singleElement().asString().startsWith("pagoda nvme: bind needs 1 argument, got 0");
    }

    @Test
    void unsafeDeviceRefusalIsOneLineFailure() {
        // A device not named by its full PCI address is refused before anything is touched.
        assertThat(run("nvme", "bind", "nvme0")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err().lines()).singleElement().asString().startsWith("pagoda nvme: ").contains("named explicitly");
    }
}
