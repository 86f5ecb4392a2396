package dev.pagoda.core.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticVocabularyTest {

    private static void assertConsistent(SyntheticVocabulary v, int size, int specials) {
        assertThat(v.size()).isEqualTo(size);
        assertThat(v.tokenTypes()).hasSize(size);
        int firstSpecial = size - specials;
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < size; i++) {
            assertThat(ids.put(v.tokens()[i], i)).as("duplicate token text %s", v.tokens()[i]).isNull();
            if (i < firstSpecial) {
                assertThat(v.tokenTypes()[i]).isEqualTo(SyntheticVocabulary.NORMAL);
                assertThat(ByteAlphabet.isAlphabetText(v.tokens()[i])).as("token %d decodes to bytes", i).isTrue();
            } else {
                assertThat(v.tokenTypes()[i]).isEqualTo(SyntheticVocabulary.CONTROL);
                assertThat(v.tokens()[i]).startsWith("<|").endsWith("|>");
            }
        }
        assertThat(v.merges()).hasSize(firstSpecial - 256);
        for (int r = 0; r < v.merges().length; r++) {
            String[] parts = v.merges()[r].split(" ");
            assertThat(parts).as("merge %s", v.merges()[r]).hasSize(2);
            Integer left = ids.get(parts[0]);
            Integer right = ids.get(parts[1]);
            Integer result = ids.get(parts[0] + parts[1]);
            assertThat(left).as("left of merge %s", v.merges()[r]).isNotNull();
            assertThat(right).as("right of merge %s", v.merges()[r]).isNotNull();
            // Each merge makes the next token id, from tokens that exist before it.
            assertThat(result).isEqualTo(256 + r);
            assertThat(left).isLessThan(result);
            assertThat(right).isLessThan(result);
        }
        assertThat(v.tokens()[v.bos()]).isEqualTo("<|begin_of_text|>");
        assertThat(v.tokens()[v.eos()]).isEqualTo("<|end_of_text|>");
        assertThat(v.tokens()[v.eot()]).isEqualTo("<|eot_id|>");
    }

    @Test
    void llama3SizedVocabularyHasSpecialsAtLlama3Ids() {
        SyntheticVocabulary v = SyntheticVocabulary.build(128256, 256);
        assertConsistent(v, 128256, 256);
        assertThat(v.bos()).isEqualTo(128000);
        assertThat(v.eos()).isEqualTo(128001);
        assertThat(v.eot()).isEqualTo(128009);
        assertThat(v.tokens()[128006]).isEqualTo("<|start_header_id|>");
        assertThat(v.tokens()[128255]).isEqualTo("<|reserved_special_token_247|>");
        assertThat(v.tokens()[220]).isEqualTo("Ġ");
        assertThat(v.tokens()[0]).isEqualTo("!");
        assertThat(v.tokens()).contains("Ġthe", "Ġmodel", "Ġzzz", "zzz");
    }

    @Test
    void tinyVocabularyIsConsistentAndTrainedOnTheBuiltInText() {
        SyntheticVocabulary v = SyntheticVocabulary.build(2048, 16);
        assertConsistent(v, 2048, 16);
        // Trained merges come first: the commonest English word is among the first few dozen tokens.
        assertThat(java.util.Arrays.asList(v.tokens()).indexOf("Ġthe")).isBetween(256, 256 + 50);
        assertThat(v.tokens()).contains("Ġand", "Ġmodel");
    }

    @Test
    void buildingIsDeterministic() {
        SyntheticVocabulary a = SyntheticVocabulary.build(4096, 32);
        SyntheticVocabulary b = SyntheticVocabulary.build(4096, 32);
        assertThat(a.tokens()).isEqualTo(b.tokens());
        assertThat(a.merges()).isEqualTo(b.merges());
    }
}
