package dev.pagoda.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of the llama.cpp tokenizer vectors in {@code shared/reference/tokenizer}: the LLaMA
 * 32000-token SentencePiece vocabulary ({@code test-tokenizer-0}'s cases) and the 512-token
 * stories260K vocabulary, each with and without BOS, plus decode round trips.
 */
class SentencePieceReferenceTest {

  private static Path reference() {
    String shared = System.getProperty("pagoda.shared");
    Path dir = shared == null ? null : Path.of(shared, "reference");
    Assumptions.assumeTrue(
        dir != null && Files.isDirectory(dir),
        "llama.cpp reference vectors not found (system property pagoda.shared = " + shared
            + "): the SentencePiece reference comparison is skipped");
    return dir;
  }

  private static Tokenizer load(Path gguf) throws IOException {
    try (GgufFile file = GgufFile.open(gguf)) {
      return Tokenizer.fromMetadata(file.metadata());
    }
  }

  @TestFactory
  List<DynamicTest> llamaSpmVocabularyMatchesLlamaCpp() throws IOException {
    Path dir = reference().resolve("tokenizer");
    return casesFor(
        load(dir.resolve("ggml-vocab-llama-spm.gguf")),
        dir.resolve("ggml-vocab-llama-spm.tests.json"));
  }

  @TestFactory
  List<DynamicTest> stories260kVocabularyMatchesLlamaCpp() throws IOException {
    Path dir = reference();
    return casesFor(
        load(dir.resolve("models/stories260K.gguf")),
        dir.resolve("tokenizer/stories260K_tokenization.json"));
  }

  @SuppressWarnings("unchecked")
  private static List<DynamicTest> casesFor(Tokenizer tokenizer, Path json) throws IOException {
    assertThat(tokenizer).isInstanceOf(SentencePieceTokenizer.class);
    Map<String, Object> root = (Map<String, Object>) TestJson.parse(Files.readString(json));
    List<DynamicTest> tests = new ArrayList<>();
    int index = 0;
    for (Object c : (List<Object>) root.get("cases")) {
      Map<String, Object> testCase = (Map<String, Object>) c;
      String text = (String) testCase.get("text");
      int[] withoutBos = ids(testCase.get("ids_add_special_false"));
      int[] withBos = ids(testCase.get("ids_add_special_true"));
      tests.add(
          DynamicTest.dynamicTest(
              "case " + index++ + " " + printable(text),
              () -> {
                assertThat(tokenizer.encode(text, false, false))
                    .as("add_special=false of '%s'", text)
                    .containsExactly(withoutBos);
                assertThat(tokenizer.encode(text, true, false))
                    .as("add_special=true of '%s'", text)
                    .containsExactly(withBos);
                assertThat(tokenizer.decode(withoutBos)).as("decode of '%s'", text).isEqualTo(text);
              }));
    }
    return tests;
  }

  @SuppressWarnings("unchecked")
  private static int[] ids(Object list) {
    return ((List<Object>) list).stream().mapToInt(o -> ((Double) o).intValue()).toArray();
  }

  private static String printable(String text) {
    String escaped = text.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
    return escaped.length() > 40 ? escaped.substring(0, 40) + "…" : escaped;
  }
}
