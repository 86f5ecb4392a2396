package dev.pagoda.core.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The host rows upload kernel's PTX is in the jar and was built from the committed .cu (runs without a GPU). */
class HostRowsUploadTest {
    @Test
    void ptxDeclaresTheKernelAndMatchesItsSource() throws Exception {
        String ptx = HostRowsUpload.ptx();
        assertThat(ptx).contains(".visible .entry host_rows_upload(");
        // plain global loads: the read-only path could serve a stale line of memory the host rewrites
        assertThat(ptx).contains("ld.global.f32").doesNotContain("ld.global.nc");
        byte[] cu = Files.readAllBytes(Path.of("src/main/cuda/host_rows_upload.cu"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cu));
        assertThat(ptx).contains("// pagoda-source-sha256 host_rows_upload.cu " + sha);
    }
}
