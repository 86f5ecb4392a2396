package dev.pagoda.nvme.ffm.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles a C program against the system's linux/vfio.h, linux/fiemap.h and libc headers that
 * prints every constant, ioctl number, struct size and member offset the raw bindings declare,
 * and compares each with the Java value: a wrong ioctl number or offset fails the build.
 */
class UapiConformanceTest {
    private static final List<Class<?>> HEADER_CLASSES = List.of(vfio_h.class, fiemap_h.class, libc_h.class);
    /** Java-side helpers that are not C constants. */
    private static final List<String> NOT_C_CONSTANTS = List.of("MAP_FAILED");

    @TempDir
    static Path work;
    private static Map<String, Long> cValues;

    @BeforeAll
    static void compileAndRun() throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/include/linux/vfio.h")),
                "UapiConformanceTest skipped: /usr/include/linux/vfio.h is missing (install linux-libc-dev)");
        assumeTrue(onPath("gcc"), "UapiConformanceTest skipped: no gcc on PATH to compile the header probe");
        Path source = work.resolve("probe.c");
        Files.writeString(source, probeSource());
        Path binary = work.resolve("probe");
        run(List.of("gcc", "-std=gnu11", "-o", binary.toString(), source.toString()));
        String output = run(List.of(binary.toString()));
        cValues = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] parts = line.trim().split(" ");
            cValues.put(parts[0], Long.parseLong(parts[1]));
        }
    }

    @Test
    void everyConstantMatchesTheHeader() throws IllegalAccessException {
        Map<String, Long> java = javaConstants();
        assertThat(java).isNotEmpty();
        for (Map.Entry<String, Long> e : java.entrySet()) {
            assertThat(e.getValue()).as("constant %s", e.getKey()).isEqualTo(cValues.get(e.getKey()));
        }
    }

    @Test
    void everyStructSizeAndOffsetMatchesTheHeader() {
        int checked = 0;
        for (StructLayout struct : structs()) {
            String name = struct.name().orElseThrow();
            assertThat(struct.byteSize()).as("sizeof(struct %s)", name).isEqualTo(cValues.get("sizeof." + name));
            long offset = 0;
            for (MemoryLayout member : struct.memberLayouts()) {
                if (!(member instanceof PaddingLayout)) {
                    String key = "offsetof." + name + "." + member.name().orElseThrow();
                    assertThat(offset).as(key).isEqualTo(cValues.get(key));
                    checked++;
                }
                offset += member.byteSize();
            }
        }
        assertThat(checked).isGreaterThan(30);
    }

    private static List<StructLayout> structs() {
        List<StructLayout> all = new ArrayList<>(vfio_h.STRUCTS);
        all.addAll(fiemap_h.STRUCTS);
        return all;
    }

    private static Map<String, Long> javaConstants() throws IllegalAccessException {
        Map<String, Long> values = new LinkedHashMap<>();
        for (Class<?> header : HEADER_CLASSES) {
            for (Field f : header.getFields()) {
                boolean constant = Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers());
                if (!constant || NOT_C_CONSTANTS.contains(f.getName())) {
                    continue;
                }
                if (f.getType() == int.class) {
                    values.put(f.getName(), (long) f.getInt(null));
                } else if (f.getType() == long.class) {
                    values.put(f.getName(), f.getLong(null));
                }
            }
        }
        return values;
    }

    private static String probeSource() throws IllegalAccessException {
        StringBuilder c = new StringBuilder("""
                #define _GNU_SOURCE
                #include <stdio.h>
                #include <stddef.h>
                #include <fcntl.h>
                #include <unistd.h>
                #include <sys/mman.h>
                #include <linux/vfio.h>
                #include <linux/fs.h>
                #include <linux/fiemap.h>
                int main(void) {
                """);
        for (String name : javaConstants().keySet()) {
            c.append("  printf(\"%s %lld\\n\", \"").append(name).append("\", (long long)(").append(name).append("));\n");
        }
        for (StructLayout struct : structs()) {
            String name = struct.name().orElseThrow();
            c.append("  printf(\"sizeof.%s %zu\\n\", \"").append(name).append("\", sizeof(struct ").append(name).append("));\n");
            for (MemoryLayout member : ((GroupLayout) struct).memberLayouts()) {
                if (member instanceof PaddingLayout) {
                    continue;
                }
                String m = member.name().orElseThrow();
                c.append("  printf(\"offsetof.%s.%s %zu\\n\", \"").append(name).append("\", \"").append(m)
                        .append("\", offsetof(struct ").append(name).append(", ").append(m).append("));\n");
            }
        }
        return c.append("  return 0;\n}\n").toString();
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(p.exitValue()).as("%s exit status; output:%n%s", command, out).isZero();
        return out;
    }
}
