package dev.pagoda.core.backend;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PenalizedIdsTest {
    @Test
    void acceptsDistinctIdsInTheVocabularyAndNamesTheFirstBadOne() {
        assertThatCode(() -> PenalizedIds.check(new int[] {5, 0, 99, 7}, 4, 100)).doesNotThrowAnyException();
        assertThatCode(() -> PenalizedIds.check(new int[] {5, 5}, 1, 100)).doesNotThrowAnyException();
        assertThatCode(() -> PenalizedIds.check(new int[0], 0, 100)).doesNotThrowAnyException();
        assertThatThrownBy(() -> PenalizedIds.check(new int[] {3, 100}, 2, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100 is outside the vocabulary [0, 100)");
        assertThatThrownBy(() -> PenalizedIds.check(new int[] {-1}, 1, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1 is outside");
        assertThatThrownBy(() -> PenalizedIds.check(new int[] {7, 3, 7}, 3, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 is given twice");
        assertThatThrownBy(() -> PenalizedIds.check(new int[] {1, 2}, 3, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 penalized ids (array of 2)");
    }
}
