package dev.pagoda.gguf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer fuzz test of the reader: any bytes either open (and then every value and tensor can be
 * read) or fail with an IOException; nothing else may escape. {@code ./mvnw verify} replays the
 * seeds in {@code GgufFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration}.
 */
class GgufFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void openArbitraryBytes(byte[] data) throws IOException {
        Path file = Files.createTempFile("fuzz", ".gguf");
        try {
            Files.write(file, data);
            ReaderExercise.openAndReadEverything(file);
        } finally {
            Files.delete(file);
        }
    }
}
