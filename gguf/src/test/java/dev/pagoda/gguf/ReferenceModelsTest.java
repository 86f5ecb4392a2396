package dev.pagoda.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pagoda.gguf.MetadataValue.ArrayValue;
import dev.pagoda.gguf.MetadataValue.BoolValue;
import dev.pagoda.gguf.MetadataValue.FloatValue;
import dev.pagoda.gguf.MetadataValue.IntValue;
import dev.pagoda.gguf.MetadataValue.StringValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reference model (made by llama.cpp) reads exactly as models.json, written by gguf-py, says. */
class ReferenceModelsTest {
    private static final Pattern ABBREVIATED_ARRAY = Pattern.compile("<array of (\\d+)>");

    static Path modelsDir() {
        String shared = System.getProperty("pagoda.shared");
        Path dir = shared == null ? null : Path.of(shared, "reference", "models");
        Assumptions.assumeTrue(dir != null && Files.isRegularFile(dir.resolve("models.json")),
                "reference models not found (system property pagoda.shared = " + shared
                        + "): skipping the checks of GGUF files made by llama.cpp");
        return dir;
    }

    static JsonObject modelsJson() throws IOException {
        return JsonParser.parseString(Files.readString(modelsDir().resolve("models.json"))).getAsJsonObject();
    }

    static Stream<String> modelFiles() throws IOException {
        return modelsJson().keySet().stream();
    }

    @Test
    void everyGgufFileIsListed() throws IOException {
        Set<String> listed = modelsJson().keySet();
        try (Stream<Path> files = Files.list(modelsDir())) {
            List<String> ggufs = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".gguf")).toList();
            assertThat(ggufs).isNotEmpty();
            assertThat(listed).containsAll(ggufs);
        }
    }

    @ParameterizedTest
    @MethodSource("modelFiles")
    void matchesModelsJson(String fileName) throws IOException {
        JsonObject expected = modelsJson().getAsJsonObject(fileName);
        Path path = modelsDir().resolve(fileName);
        assertThat(Files.size(path)).isEqualTo(expected.get("bytes").getAsLong());
        JsonObject md = expected.getAsJsonObject("metadata");
        try (GgufFile f = GgufFile.open(path)) {
            assertThat(f.version()).isEqualTo(md.get("GGUF.version").getAsInt());
            assertThat(f.tensors()).hasSize(md.get("GGUF.tensor_count").getAsInt());
            assertThat(f.metadata().size()).isEqualTo(md.get("GGUF.kv_count").getAsInt());

            Set<String> expectedKeys = new LinkedHashSet<>();
            for (Map.Entry<String, JsonElement> e : md.entrySet()) {
                if (e.getKey().startsWith("GGUF.")) {
                    continue;
                }
                expectedKeys.add(e.getKey());
                assertValue(e.getKey(), f.metadata().get(e.getKey()), e.getValue());
            }
            assertThat(new ArrayList<>(f.metadata().keys())).containsExactlyElementsOf(expectedKeys);

            List<JsonElement> tensors = expected.getAsJsonArray("tensors").asList();
            for (int i = 0; i < tensors.size(); i++) {
                JsonObject et = tensors.get(i).getAsJsonObject();
                TensorInfo t = f.tensors().get(i);
                assertThat(t.name()).isEqualTo(et.get("name").getAsString());
                assertThat(t.type().name()).isEqualTo(et.get("type").getAsString());
                long[] ne = et.getAsJsonArray("ne").asList().stream().mapToLong(JsonElement::getAsLong).toArray();
                assertThat(t.shape()).as(t.name()).containsExactly(ne);
                assertThat(f.tensor(t.name())).isSameAs(t);
                assertThat(f.data(t).byteSize()).isEqualTo(t.byteSize());
                assertThat(f.fileOffset(t) % f.alignment()).isZero();
                assertThat(f.fileOffset(t) + t.byteSize()).isLessThanOrEqualTo(Files.size(path));
            }
        }
    }

    private static void assertValue(String key, MetadataValue actual, JsonElement expected) {
        switch (actual) {
            case StringValue s -> assertThat(s.value()).as(key).isEqualTo(expected.getAsString());
            case IntValue v -> assertThat(v.toString()).as(key).isEqualTo(expected.getAsBigInteger().toString());
            case FloatValue v -> assertThat(v.value()).as(key).isEqualTo(expected.getAsDouble());
            case BoolValue b -> assertThat(b.value()).as(key).isEqualTo(expected.getAsBoolean());
            case ArrayValue a -> {
                Matcher m = ABBREVIATED_ARRAY.matcher(expected.getAsString());
                assertThat(m.matches()).as(key + " is listed as an array").isTrue();
                assertThat(a.size()).as(key).isEqualTo(Integer.parseInt(m.group(1)));
            }
        }
    }

    @Test
    void stories260KTypedAccessors() throws IOException {
        try (GgufFile f = GgufFile.open(modelsDir().resolve("stories260K.gguf"))) {
            Metadata md = f.metadata();
            assertThat(md.getString("general.architecture")).isEqualTo("llama");
            assertThat(md.getInt("llama.block_count")).isEqualTo(5);
            assertThat(md.getLong("tokenizer.ggml.padding_token_id")).isEqualTo(4294967295L);
            assertThat(md.getFloat("llama.attention.layer_norm_rms_epsilon")).isEqualTo(1e-5f);
            assertThat(md.getFloat("llama.rope.freq_base", 10000f)).isEqualTo(10000f);
            String[] tokens = md.getStringArray("tokenizer.ggml.tokens");
            assertThat(tokens).hasSize(512);
            assertThat(tokens[0]).isEqualTo("<unk>");
            assertThat(tokens[1]).isEqualTo("<s>");
            assertThat(tokens[3]).isEqualTo("<0x00>");
            assertThat(md.getFloatArray("tokenizer.ggml.scores")).hasSize(512);
            assertThat(md.getIntArray("tokenizer.ggml.token_type")).hasSize(512).contains(1, 2, 3, 6);

            assertThatThrownBy(() -> md.getString("llama.block_count"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata key llama.block_count is UINT32, asked for STRING");
            assertThatThrownBy(() -> md.getInt("tokenizer.ggml.padding_token_id"))
                    .hasMessageContaining("tokenizer.ggml.padding_token_id").hasMessageContaining("does not fit in an int");
            assertThatThrownBy(() -> md.getInt("llama.nope"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'llama.nope' not found");
            assertThatThrownBy(() -> md.getIntArray("tokenizer.ggml.tokens"))
                    .hasMessage("metadata key tokenizer.ggml.tokens is ARRAY of STRING, asked for an integer type");
            assertThatThrownBy(() -> f.tensor("blk.9.attn_q.weight"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("blk.9.attn_q.weight").hasMessageContaining("stories260K.gguf");
            assertThat(f.findTensor("blk.9.attn_q.weight")).isEmpty();

            TensorInfo embd = f.tensor("token_embd.weight");
            assertThat(embd.rowLength()).isEqualTo(64);
            assertThat(embd.rowCount()).isEqualTo(512);
            assertThat(embd.byteSize()).isEqualTo(64 * 512 * 4);
            assertThat(f.data(embd).isReadOnly()).isTrue();
        }
    }
}
