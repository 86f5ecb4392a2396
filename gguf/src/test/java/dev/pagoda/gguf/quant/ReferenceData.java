package dev.pagoda.gguf.quant;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads llama.cpp's dequantization vectors ({@code reference/dequant/seedA}, README section 3). */
final class ReferenceData {
    static final int ROWS = 4;
    static final int COLS = 1024;

    private ReferenceData() {}

    /** The seedA folder, or the test is skipped (with the reason) when the shared data is absent. */
    static Path seedA() {
        String shared = System.getProperty("pagoda.shared");
        assumeTrue(shared != null, "system property pagoda.shared is not set, so the llama.cpp reference"
                + " vectors cannot be found; skipping the comparison with ggml");
        Path dir = Path.of(shared, "reference", "dequant", "seedA");
        assumeTrue(Files.isDirectory(dir), "llama.cpp reference vectors not found at " + dir
                + "; skipping the comparison with ggml");
        return dir;
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(Path file) {
        byte[] b = bytes(file);
        float[] f = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }
}
