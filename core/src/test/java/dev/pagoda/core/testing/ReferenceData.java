package dev.pagoda.core.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates the llama.cpp reference data (system property {@code pagoda.shared}) for tests. */
public final class ReferenceData {
    private ReferenceData() {}

    /** The reference folder, or a skipped test naming what is missing. */
    public static Path dir() {
        String shared = System.getProperty("pagoda.shared");
        Assumptions.assumeTrue(shared != null,
                "system property pagoda.shared is not set: skipping the comparison with llama.cpp reference data");
        Path ref = Path.of(shared, "reference");
        Assumptions.assumeTrue(Files.isDirectory(ref),
                ref + " does not exist: skipping the comparison with llama.cpp reference data");
        return ref;
    }

    /** A reference file, or a skipped test when it is absent. */
    public static Path file(String relative) {
        Path p = dir().resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(p), p + " is missing: skipping the test that needs it");
        return p;
    }

    /** A raw little-endian float32 file. */
    public static float[] floats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
