package dev.pagoda.cuda.raw;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Compiles a C file generated from our Java descriptors against the real cuda.h, so that a wrong
 * signature, constant, or struct offset in {@link cuda_h} fails the build.
 */
class CudaHeaderConformanceTest {
    private static final Path CUDA_INCLUDE = Path.of("/usr/local/cuda/include");

    @BeforeAll
    static void needGccAndHeader() {
        assumeTrue(Files.isRegularFile(CUDA_INCLUDE.resolve("cuda.h")),
                "skipped: /usr/local/cuda/include/cuda.h is not installed, so the bindings cannot be checked against it");
        assumeTrue(gccVersion() != null, "skipped: gcc is not on the PATH, so the generated C check cannot be compiled");
    }

    @Test
    void everyBindingMatchesCudaH() throws Exception {
        List<HeaderCheckSource.BoundFunction> functions = HeaderCheckSource.functions();
        assertThat(functions).extracting(HeaderCheckSource.BoundFunction::name)
                .contains("cuInit", "cuMemAlloc_v2", "cuLaunchKernel", "cuModuleLoadDataEx", "cuGraphInstantiateWithFlags");
        String source = HeaderCheckSource.generate(functions, HeaderCheckSource.constants(), HeaderCheckSource.structs());
        Compilation result = compile("cuda_h_conformance.c", source);
        assertThat(result.exitCode()).as("gcc on the generated check:\n%s\n--- source ---\n%s", result.output(), source)
                .isZero();
    }

    /** The check must be able to fail: a size_t bound as a 32-bit int is rejected. */
    @Test
    void aWrongSignatureIsRejected() throws Exception {
        FunctionDescriptor wrong = FunctionDescriptor.of(cuda_h.C_INT.withName("CUresult"),
                cuda_h.C_POINTER.withName("CUdeviceptr*"), cuda_h.C_INT.withName("unsigned int"));
        String source = HeaderCheckSource.generate(
                List.of(new HeaderCheckSource.BoundFunction("cuMemAlloc_v2", wrong)), List.of(), List.of());
        Compilation result = compile("cuda_h_wrong_signature.c", source);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("incompatible-pointer-types");
    }

    @Test
    void aWrongConstantIsRejected() throws Exception {
        String source = HeaderCheckSource.generate(List.of(),
                List.of(new HeaderCheckSource.Constant("CU_JIT_INFO_LOG_BUFFER", 4)), List.of());
        assertThat(compile("cuda_h_wrong_constant.c", source).exitCode()).isNotZero();
    }

    private record Compilation(int exitCode, String output) {
    }

    private static Compilation compile(String fileName, String source) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "conformance"));
        Path file = dir.resolve(fileName);
        Files.writeString(file, source, StandardCharsets.UTF_8);
        Process gcc = new ProcessBuilder("gcc", "-std=c11", "-fsyntax-only", "-Wall", "-Werror",
                "-Werror=incompatible-pointer-types", "-I" + CUDA_INCLUDE, file.toString())
                .redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(60, TimeUnit.SECONDS)) {
            gcc.destroyForcibly();
            throw new IllegalStateException("gcc did not finish within 60 s on " + file);
        }
        return new Compilation(gcc.exitValue(), output);
    }

    private static String gccVersion() {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
