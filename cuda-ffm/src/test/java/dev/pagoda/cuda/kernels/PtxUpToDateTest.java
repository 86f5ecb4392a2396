package dev.pagoda.cuda.kernels;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The committed PTX must come from the current .cu sources: each PTX resource records the sha256 of
 * its .cu and of every local header; a mismatch means someone edited a kernel without regenerating
 * (src/main/cuda/build-ptx.sh, or any build on a machine with nvcc). Also checks that every kernel a
 * launcher names is an entry of its PTX.
 */
class PtxUpToDateTest {
    private static final Path SOURCES = Path.of("src/main/cuda");
    private static final String BUILD_SCRIPT = "cuda-ffm/src/main/cuda/build-ptx.sh";
    private static final Pattern SHA_LINE = Pattern.compile("^// pagoda-source-sha256 (\\S+) ([0-9a-f]{64})$", Pattern.MULTILINE);

    @Test
    void everyPtxResourceMatchesItsSources() throws IOException {
        List<Path> sources = cudaSources(SOURCES);
        assertThat(sources).isNotEmpty();
        for (Path cu : sources) {
            String op = cu.getFileName().toString().replace(".cu", "");
            assertRecordsItsSources(cu, op, PtxModules.ptx(op), SOURCES, BUILD_SCRIPT);
            boolean programmatic = includes(cu).contains("programmatic_launch.cuh");
            assertThat(PtxModules.hasProgrammaticVariant(op))
                    .as("%s.cu includes programmatic_launch.cuh exactly when %s.sm_90.ptx exists", op, op)
                    .isEqualTo(programmatic);
            if (programmatic) {
                String variant = PtxModules.programmaticVariant(op);
                assertRecordsItsSources(cu, variant, PtxModules.ptx(variant), SOURCES, BUILD_SCRIPT);
            }
        }
    }

    /** {@code ptx} (resource {@code resource}.ptx) records the sha256 of {@code cu} and of its local headers, all current. */
    private static void assertRecordsItsSources(Path cu, String resource, String ptx, Path sources, String script)
            throws IOException {
        String op = cu.getFileName().toString().replace(".cu", "");
        Map<String, String> recorded = new TreeMap<>();
        Matcher m = SHA_LINE.matcher(ptx);
        while (m.find()) {
            recorded.put(m.group(1), m.group(2));
        }
        assertThat(recorded).as("%s.ptx records the sha256 of %s.cu", resource, op).containsKey(op + ".cu");
        for (Map.Entry<String, String> e : recorded.entrySet()) {
            assertThat(sha256(sources.resolve(e.getKey())))
                    .as("%s.ptx is stale: %s changed since it was generated; run %s", resource, e.getKey(), script)
                    .isEqualTo(e.getValue());
        }
        for (String include : includes(cu)) {
            assertThat(recorded).as("%s.ptx records the sha256 of its header %s", resource, include).containsKey(include);
        }
    }

    /**
     * A kernel of a compute capability 9.0 variant may be launched before its predecessor finishes, so each
     * must wait for it (griddepcontrol.wait) somewhere in its body; the 8.0 PTX has no such instruction.
     */
    @Test
    void everyKernelOfAProgrammaticVariantWaitsForItsPredecessor() throws IOException {
        List<String> ops = cudaSources(SOURCES).stream().map(p -> p.getFileName().toString().replace(".cu", ""))
                .filter(PtxModules::hasProgrammaticVariant).toList();
        assertThat(ops).contains("matvec", "matvec_fused", "decode_fused", "attention_decode", "rmsnorm", "swiglu");
        for (String op : ops) {
            String ptx = PtxModules.ptx(PtxModules.programmaticVariant(op));
            assertThat(ptx).contains(".target sm_90");
            String[] entries = ptx.split("\\.entry ");
            assertThat(entries.length).as("%s.sm_90.ptx has kernels", op).isGreaterThan(1);
            for (int i = 1; i < entries.length; i++) {
                String name = entries[i].substring(0, entries[i].indexOf('('));
                assertThat(entries[i]).as("%s.sm_90.ptx kernel %s waits for its predecessor", op, name)
                        .contains("griddepcontrol.wait");
            }
            assertThat(PtxModules.ptx(op)).as("%s.ptx (compute 8.0) has no grid dependency control", op)
                    .doesNotContain("griddepcontrol");
        }
    }

    @Test
    void everyLauncherKernelIsInItsPtx() {
        for (WeightType type : WeightType.values()) {
            assertThat(PtxModules.ptx("matvec")).contains(".entry matvec_" + type.kernelSuffix() + "(");
            assertThat(PtxModules.ptx("matvec_fused")).contains(".entry matvec_rows3_" + type.kernelSuffix() + "(")
                    .contains(".entry matvec_swiglu_" + type.kernelSuffix() + "(");
            assertThat(PtxModules.ptx("matmul")).contains(".entry matmul_" + type.kernelSuffix() + "(");
            assertThat(PtxModules.ptx("embedding")).contains(".entry embedding_" + type.kernelSuffix() + "(");
        }
        Map<String, List<String>> entries = Map.of("rmsnorm", List.of("rmsnorm"), "rope", List.of("rope_norm"),
                "attention", List.of("attention_partial", "attention_combine"), "softmax", List.of("softmax"),
                "swiglu", List.of("swiglu", "swiglu_trigger_first"), "add", List.of("add"), "kv_store", List.of("kv_store"), "argmax", List.of("argmax"),
                "decode_fused", List.of("add_rmsnorm", "rope_qk_store"), "attention_decode",
                List.of("attention_decode_g1", "attention_decode_g2", "attention_decode_g4", "attention_decode_g8",
                        "attention_decode_combine", "attention_decode_step_g1", "attention_decode_step_g2",
                        "attention_decode_step_g4", "attention_decode_step_g8"));
        entries.forEach((op, names) -> names.forEach(n -> assertThat(PtxModules.ptx(op)).contains(".entry " + n + "(")));
        assertThat(PtxModules.ptx("attention_prefill")).contains(".entry attention_prefill_d64(")
                .contains(".entry attention_prefill_d128(");
        for (String infix : List.of("x8_", "x16_")) {
            assertThat(PtxModules.ptx("matvec_ring.sm_90")).contains(".entry matvec_ring_" + infix + "q4_k(")
                    .contains(".entry matvec_ring_" + infix + "q6_k(");
        }
        assertThat(PtxModules.ptx("matvec_ring.sm_90")).contains("cp.async.bulk.shared::cluster.global");
        assertThat(PtxModules.ptx("top_candidates")).contains(".entry candidates_penalize(")
                .contains(".entry candidates_block(").contains(".entry candidates_merge(");
        // plain global loads: the read-only (.nc) path could serve a stale line of host memory rewritten between launches
        assertThat(PtxModules.ptx("host_rows_upload")).contains(".entry host_rows_upload(").contains("ld.global.f32")
                .doesNotContain("ld.global.nc");
    }

    /** The test-only probe kernels (src/test/cuda, loaded by GridBarrierProbe) are held to the same rule. */
    @Test
    void everyProbePtxMatchesItsSource() throws IOException {
        Path probes = Path.of("src/test/cuda");
        List<Path> sources = cudaSources(probes);
        assertThat(sources).isNotEmpty();
        for (Path cu : sources) {
            String op = cu.getFileName().toString().replace(".cu", "");
            assertRecordsItsSources(cu, op, PtxModules.text("/dev/pagoda/cuda/probe/" + op + ".ptx"), probes,
                    "cuda-ffm/src/main/cuda/build-ptx.sh /usr/local/cuda/bin/nvcc src/test/cuda src/test/resources/dev/pagoda/cuda/probe");
        }
    }

    @Test
    void ptxTargetsComputeCapability80() {
        assertThat(PtxModules.ptx("matvec")).contains(".target sm_80");
    }

    // the .cu files of a source folder, sorted; skips the test where the folder is not (not run from the
    // module, e.g. from the self-contained distribution on a GPU host)
    private static List<Path> cudaSources(Path folder) throws IOException {
        assumeTrue(Files.isDirectory(folder), "skipped: kernel sources not found at " + folder.toAbsolutePath()
                + " (run from the cuda-ffm module)");
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".cu")).sorted().toList();
        }
    }

    private static List<String> includes(Path file) throws IOException {
        return Pattern.compile("^#include \"([^\"]+)\"", Pattern.MULTILINE).matcher(Files.readString(file)).results()
                .map(r -> r.group(1)).toList();
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
