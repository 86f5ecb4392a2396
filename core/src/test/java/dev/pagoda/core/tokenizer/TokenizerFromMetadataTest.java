package dev.pagoda.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fromMetadata on small GGUF files written by the test: model choice, defaults, refusals. */
class TokenizerFromMetadataTest {

  @TempDir Path dir;

  private Tokenizer load(TestGgufWriter writer) throws IOException {
    try (GgufFile file = GgufFile.open(writer.write(dir.resolve("vocab.gguf")))) {
      return Tokenizer.fromMetadata(file.metadata());
    }
  }

  private static TestGgufWriter llama3() {
    return new TestGgufWriter()
        .string("tokenizer.ggml.model", "gpt2")
        .string("tokenizer.ggml.pre", "llama-bpe")
        .strings("tokenizer.ggml.tokens", "h", "i", "hi", "Ġ", "<|begin_of_text|>",
            "<|end_of_text|>", "<|eot_id|>")
        .ints("tokenizer.ggml.token_type", 1, 1, 1, 1, 3, 3, 3)
        .strings("tokenizer.ggml.merges", "h i")
        .uint32("tokenizer.ggml.bos_token_id", 4)
        .uint32("tokenizer.ggml.eos_token_id", 5);
  }

  @Test
  void gpt2WithLlamaBpeIsALlama3Tokenizer() throws IOException {
    Tokenizer tokenizer = load(llama3());
    assertThat(tokenizer).isInstanceOf(BpeTokenizer.class);
    assertThat(((BpeTokenizer) tokenizer).preTokenizer()).isEqualTo(BpePreTokenizer.LLAMA3);
    assertThat(tokenizer.encode("hi", true, false)).containsExactly(4, 2); // BOS by default
    assertThat(tokenizer.encode("hi<|eot_id|>", false, true)).containsExactly(2, 6);
    assertThat(tokenizer.isEndOfGeneration(5)).isTrue();
    assertThat(tokenizer.isEndOfGeneration(6)).isTrue();
    assertThat(tokenizer.bos()).isEqualTo(4);
    assertThat(tokenizer.eos()).isEqualTo(5);
  }

  @Test
  void fileFlagsOverrideTheDefaults() throws IOException {
    Tokenizer noBos = load(llama3().bool("tokenizer.ggml.add_bos_token", false));
    assertThat(noBos.encode("hi", true, false)).containsExactly(2);
    Tokenizer spmNoPrefix =
        load(
            new TestGgufWriter()
                .string("tokenizer.ggml.model", "llama")
                .strings("tokenizer.ggml.tokens", "<unk>", "<s>", "</s>", "h", "i", "hi", "▁hi")
                .floats("tokenizer.ggml.scores", 0, 0, 0, -1, -1, -2, -1)
                .ints("tokenizer.ggml.token_type", 2, 3, 3, 1, 1, 1, 1)
                .bool("tokenizer.ggml.add_space_prefix", false)
                .bool("tokenizer.ggml.add_eos_token", true));
    assertThat(spmNoPrefix.encode("hi", true, false)).containsExactly(1, 5, 2);
  }

  @Test
  void anOutOfRangeRoleIdFallsBackToTheDefault() throws IOException {
    Tokenizer tokenizer =
        load(
            new TestGgufWriter()
                .string("tokenizer.ggml.model", "llama")
                .strings("tokenizer.ggml.tokens", "<unk>", "<s>", "</s>", "a")
                .uint32("tokenizer.ggml.bos_token_id", 99));
    assertThat(tokenizer.bos()).isEqualTo(1);
  }

  @Test
  void unsupportedOrIncompleteTokenizersAreRefusedByName() {
    assertThatThrownBy(() -> load(llama3().string("tokenizer.ggml.pre", "qwen2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'qwen2'");
    assertThatThrownBy(() -> load(llama3().string("tokenizer.ggml.model", "bert")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bert'");
    assertThatThrownBy(
            () ->
                load(
                    new TestGgufWriter()
                        .string("tokenizer.ggml.model", "gpt2")
                        .strings("tokenizer.ggml.tokens", "a")))
        .hasMessageContaining("tokenizer.ggml.merges");
    assertThatThrownBy(() -> load(new TestGgufWriter().string("general.name", "x")))
        .hasMessageContaining("tokenizer.ggml.model");
    assertThatThrownBy(
            () -> load(llama3().ints("tokenizer.ggml.token_type", 1, 1)))
        .hasMessageContaining("tokenizer.ggml.token_type has 2 entries");
  }

  @Test
  void aLlama3SizedVocabularyLoads() throws IOException {
    int n = 128_256;
    String[] tokens = new String[n];
    String[] merges = new String[n - 256];
    for (int i = 0; i < 256; i++) {
      tokens[i] = String.valueOf(ByteLevelAlphabet.charOf(i));
    }
    for (int i = 256; i < n; i++) {
      // distinct two-symbol tokens built from earlier ones
      String left = tokens[(i * 7) % 256];
      String right = tokens[i % 256] + (i / 256);
      tokens[i] = left + right;
      merges[i - 256] = left + " " + right;
    }
    Tokenizer tokenizer =
        load(
            new TestGgufWriter()
                .string("tokenizer.ggml.model", "gpt2")
                .string("tokenizer.ggml.pre", "llama-bpe")
                .strings("tokenizer.ggml.tokens", tokens)
                .strings("tokenizer.ggml.merges", merges));
    assertThat(tokenizer.vocabSize()).isEqualTo(n);
    assertThat(tokenizer.decode(tokenizer.encode("Hello, world!", false, false)))
        .isEqualTo("Hello, world!");
  }
}
