package dev.pagoda.core.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lane sums of sixteen accumulators at once, by a pairwise tree of two-vector lane selections:
 * each level takes two vectors that hold groups of w lanes per accumulator and returns one that holds
 * the same accumulators' groups of w/2 lanes, the low half of each group plus its high half. With 16
 * lanes, four levels (15 pairs: 30 selections, 15 adds) leave one vector whose lane k is accumulator
 * k's sum; with 8 lanes three levels leave two vectors, with 32 the fifth level folds the last vector
 * onto itself.
 *
 * <p>Why: the prefill tile ({@link FloatDot#dot4x4}) summed each accumulator's lanes one by one, 16 × 16
 * extracts and adds per call, which at a 1024-column slice (64 vector steps) was about 40 % of the
 * tile's time on dev. The order of every add is fixed by the tree, so interpreted and compiled runs give
 * the same bits, which {@code reduceLanes(ADD)} does not promise.
 *
 * <p>The accumulators arrive stored in an array, not as sixteen vector arguments: C2 would not inline a
 * method that takes and combines sixteen vectors into the tile (its node-count cutoff), and vectors passed
 * to a call that is not inlined are boxed, which made the tile ten times slower.
 */
final class LaneSumTree {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.vectorShape().withLanes(int.class);
    private static final int L = F.length();
    /** Floats {@link #sum16} works in: sixteen accumulators of L lanes. */
    static final int SPACE = 16 * L;
    /** Levels of the tree: log2(L). */
    private static final int LEVELS = Integer.numberOfTrailingZeros(L);
    /** Per level: the input lanes that give each output lane its low half (a's lanes, then b's at L + i), and its high half. */
    private static final IntVector[] LOW = new IntVector[LEVELS];
    private static final IntVector[] HIGH = new IntVector[LEVELS];

    static {
        for (int level = 0; level < LEVELS; level++) {
            int w = L >> level;          // lanes per accumulator group in the inputs
            int half = w / 2;
            int[] low = new int[L];
            int[] high = new int[L];
            for (int lane = 0; lane < L; lane++) {
                int fromB = lane >= L / 2 ? L : 0;   // the output's first half comes from a, its second from b
                int within = lane % (L / 2);
                int group = within / half;
                int offset = within % half;
                low[lane] = fromB + group * w + offset;
                high[lane] = fromB + group * w + half + offset;
            }
            LOW[level] = IntVector.fromArray(I, low, 0);
            HIGH[level] = IntVector.fromArray(I, high, 0);
        }
    }

    private LaneSumTree() {}

    /**
     * Sixteen accumulators stored at acc[off + k·L, off + (k + 1)·L) are summed in place: afterwards
     * acc[off + k] holds accumulator k's lane sum; the rest of the {@link #SPACE} floats is overwritten.
     */
    static void sum16(float[] acc, int off) {
        int vectors = 16;
        int level = 0;
        for (; vectors > 1 && level < LEVELS; level++, vectors /= 2) {
            for (int p = 0; p < vectors / 2; p++) {
                // pair p is written where its index is below every pair still to be read (p·L < 2p'·L for p' > p)
                pair(acc, off + 2 * p * L, off + (2 * p + 1) * L, off + p * L, level);
            }
        }
        for (; level < LEVELS; level++) {
            pair(acc, off, off, off, level);   // more than 16 lanes: fold the last vector onto itself
        }
    }

    /** One tree level: acc[to..] = lane groups of acc[a..] then of acc[b..], each the sum of its two halves. */
    private static void pair(float[] acc, int a, int b, int to, int level) {
        IntVector ai = FloatVector.fromArray(F, acc, a).viewAsIntegralLanes();
        IntVector bi = FloatVector.fromArray(F, acc, b).viewAsIntegralLanes();
        FloatVector low = LOW[level].selectFrom(ai, bi).viewAsFloatingLanes();
        FloatVector high = HIGH[level].selectFrom(ai, bi).viewAsFloatingLanes();
        low.add(high).intoArray(acc, to);
    }
}
