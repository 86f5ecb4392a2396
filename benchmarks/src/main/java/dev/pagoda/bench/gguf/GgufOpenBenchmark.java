package dev.pagoda.bench.gguf;

import dev.pagoda.gguf.GgufFile;
import dev.pagoda.gguf.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Opening and indexing a Llama-3.1-70B-sized GGUF (724 tensors, 128 256-token vocabulary, 280 147
 * merges; ~40 GB, its data sparse): map, parse the header, build the tensor index, look tensors up.
 * Target: well under 50 ms. The page cache holds the header (as after any earlier open).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class GgufOpenBenchmark {
    private Path dir;
    private Path model;

    @Setup
    public void writeModel() throws IOException {
        dir = Files.createTempDirectory("pagoda-gguf-bench");
        model = dir.resolve("llama-3.1-70b-like-Q4_K_M.gguf");
        Llama70BLikeFile.write(model);
    }

    @TearDown
    public void deleteModel() throws IOException {
        Files.deleteIfExists(model);
        Files.deleteIfExists(dir);
    }

    /** Open, look up every layer's tensors by name, close. */
    @Benchmark
    public long openAndIndex() throws IOException {
        try (GgufFile f = GgufFile.open(model)) {
            int layers = f.metadata().getInt("llama.block_count");
            long bytes = 0;
            for (int l = 0; l < layers; l++) {
                TensorInfo t = f.tensor("blk." + l + ".ffn_down.weight");
                bytes += f.fileOffset(t) + t.byteSize();
            }
            return bytes + f.tensors().size();
        }
    }

    /** As above, then decode the whole vocabulary to Java strings (what a tokenizer does next). */
    @Benchmark
    public int openIndexAndDecodeVocabulary() throws IOException {
        try (GgufFile f = GgufFile.open(model)) {
            return f.metadata().getStringArray("tokenizer.ggml.tokens").length + f.tensors().size();
        }
    }
}
