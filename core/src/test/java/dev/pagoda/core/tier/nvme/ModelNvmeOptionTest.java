package dev.pagoda.core.tier.nvme;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Model;
import dev.pagoda.core.synth.FileType;
import dev.pagoda.core.synth.ModelShape;
import dev.pagoda.core.synth.ModelSynthesizer;
import dev.pagoda.core.synth.SynthOptions;
import dev.pagoda.core.synth.WeightMode;
import dev.pagoda.nvme.manifest.FileExtent;
import dev.pagoda.nvme.manifest.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Model.builder(path).nvme(manifest)} on a machine without the controller: every way it
 * can be refused is refused before any weight is read, with a message saying what to do. (The
 * driver reading the layers is proven in the guest: {@link NvmeTierGuestIT}.)
 */
class ModelNvmeOptionTest {
    private static final String ABSENT_CONTROLLER = "0000:ff:1f.7";

    @TempDir
    static Path dir;
    private static Path model;

    @BeforeAll
    static void writeTinyModel() throws IOException {
        model = dir.resolve("tiny.gguf");
        ModelSynthesizer.write(new SynthOptions(ModelShape.TINY, FileType.of("q8_0").orElseThrow(), 3, WeightMode.FAST, 2),
                model);
    }

    private static Path manifest(String name, String headerSha256) throws Exception {
        long size = Files.size(model);
        ModelManifest m = new ModelManifest(model.toString(), size, ABSENT_CONTROLLER, "SERIAL", "MODEL", 1, 1 << 20,
                Math.min(size, 1 << 20), headerSha256, List.of(new FileExtent(0, 1 << 20, size)));
        Path file = dir.resolve(name);
        m.write(file);
        return file;
    }

    private static String headerSha256() throws Exception {
        byte[] header = Arrays.copyOf(Files.readAllBytes(model), (int) Math.min(Files.size(model), 1 << 20));
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(header));
    }

    private static Model.Builder tierC() throws IOException {
        return TierCBudgets.apply(Model.builder(model).backend(Backend.CPU).threads(1), model, 64, 16);
    }

    @Test
    void aControllerNotOnVfioPciIsRefusedNamingTheBindCommand() throws Exception {
        Path manifest = manifest("m.manifest", headerSha256());
        assertThatThrownBy(() -> tierC().nvme(manifest).open().close()).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot take NVMe controller " + ABSENT_CONTROLLER)
                .hasMessageContaining("pagoda nvme bind " + ABSENT_CONTROLLER);
    }

    @Test
    void aManifestOfAnotherFileIsRefused() throws Exception {
        Path manifest = manifest("other.manifest", "ab".repeat(32));
        assertThatThrownBy(() -> tierC().nvme(manifest).open().close()).isInstanceOf(IOException.class)
                .hasMessageContaining("recorded for another file");
    }

    @Test
    void aFileThatIsNoManifestIsRefusedNamingIt() throws Exception {
        Path notManifest = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        assertThatThrownBy(() -> tierC().nvme(notManifest).open().close()).isInstanceOf(IOException.class)
                .hasMessageContaining(notManifest.toString()).hasMessageContaining("manifest");
    }

    @Test
    void theCudaBackendIsRefused() throws Exception {
        Path manifest = manifest("cuda.manifest", headerSha256());
        assertThatThrownBy(() -> Model.builder(model).backend(Backend.CUDA).nvme(manifest).open().close())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CPU backend only");
    }
}
