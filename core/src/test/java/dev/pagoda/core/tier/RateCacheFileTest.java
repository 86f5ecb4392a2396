package dev.pagoda.core.tier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateCacheFileTest {

    @Test
    void storedRatesReadBackAndMissingOrBrokenEntriesReadAsNotMeasured(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/rates.properties");
        RateCacheFile empty = RateCacheFile.load(file, "test cache");
        assertThat(empty.get("a")).isNaN();
        empty.put("a", 54.3e9);
        empty.store("test rates");
        RateCacheFile again = RateCacheFile.load(file, "test cache");
        assertThat(again.get("a")).isEqualTo(54.3e9);
        assertThat(again.get("b")).isNaN();

        Files.writeString(file, "a=fast\n");
        assertThat(RateCacheFile.load(file, "test cache").get("a")).isNaN();
        Files.writeString(file, "a=\\u00zz\n");  // a malformed escape: Properties.load refuses the file
        assertThat(RateCacheFile.load(file, "test cache").get("a")).isNaN();
    }

    @Test
    void aFileThatCannotBeWrittenIsNotAnError(@TempDir Path dir) throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        RateCacheFile cache = RateCacheFile.load(blocker.resolve("rates.properties"), "test cache");
        cache.put("a", 1.0);
        cache.store("test rates");  // the parent is a file: logged, measured again next time
        assertThat(Files.isRegularFile(blocker)).isTrue();
    }
}
