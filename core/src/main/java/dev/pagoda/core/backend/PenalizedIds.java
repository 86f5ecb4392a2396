package dev.pagoda.core.backend;

import java.util.Arrays;

/**
 * The check every caller of {@link ForwardPass#forwardCandidates} makes before anything runs: the ids
 * whose logits the repeat penalty rescales must lie in the vocabulary (a device writes logits[id]) and be
 * distinct (a repeated id would be penalized twice, or once, as two device threads race).
 */
public final class PenalizedIds {
    private PenalizedIds() {}

    /** @throws IllegalArgumentException naming the first bad count, id outside the vocabulary or repeated id */
    public static void check(int[] ids, int count, int vocabulary) {
        if (count < 0 || count > Math.min(ids.length, vocabulary)) {
            throw new IllegalArgumentException(count + " penalized ids (array of " + ids.length
                    + ") for a vocabulary of " + vocabulary);
        }
        int[] sorted = Arrays.copyOf(ids, count);
        Arrays.sort(sorted);
        for (int i = 0; i < count; i++) {
            if (sorted[i] < 0 || sorted[i] >= vocabulary) {
                throw new IllegalArgumentException(
                        "penalized id " + sorted[i] + " is outside the vocabulary [0, " + vocabulary + ")");
            }
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("penalized id " + sorted[i] + " is given twice; the ids must be distinct");
            }
        }
    }
}
