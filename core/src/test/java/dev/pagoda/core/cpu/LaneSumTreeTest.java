package dev.pagoda.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class LaneSumTreeTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    /**
     * The tree's order written out one add at a time: at each level lane i of a group of w takes lane
     * i + w/2, so the bits are fixed by the algorithm, not by the JIT.
     */
    private static float halvingSum(float[] lanes) {
        float[] v = lanes.clone();
        for (int w = v.length; w > 1; w /= 2) {
            for (int i = 0; i < w / 2; i++) {
                v[i] = v[i] + v[i + w / 2];
            }
        }
        return v[0];
    }

    /** Random accumulators of this machine's width: every sum equals the halving order's, bit for bit. */
    @Test
    void sumsEachAccumulatorInTheHalvingOrder() {
        Random rnd = new Random(31);
        for (int round = 0; round < 500; round++) {
            int off = rnd.nextInt(5);
            float[] acc = new float[off + LaneSumTree.SPACE + 3];
            float[][] lanes = new float[16][L];
            for (int k = 0; k < 16; k++) {
                for (int lane = 0; lane < L; lane++) {
                    // mixed magnitudes, so a different order of adds would round differently
                    float value = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
                    lanes[k][lane] = value;
                    acc[off + k * L + lane] = value;
                }
            }
            acc[off + LaneSumTree.SPACE] = 99f;
            LaneSumTree.sum16(acc, off);
            for (int k = 0; k < 16; k++) {
                assertThat(acc[off + k]).as("round %d accumulator %d (%d lanes)", round, k, L)
                        .isEqualTo(halvingSum(lanes[k]));
            }
            assertThat(acc[off + LaneSumTree.SPACE]).as("the float after the work space").isEqualTo(99f);
        }
    }

    /** Small integers add exactly in any order: the sums must be the plain totals. */
    @Test
    void integerLanesGiveExactTotals() {
        float[] acc = new float[LaneSumTree.SPACE];
        for (int k = 0; k < 16; k++) {
            for (int lane = 0; lane < L; lane++) {
                acc[k * L + lane] = 100 * k + lane;
            }
        }
        LaneSumTree.sum16(acc, 0);
        for (int k = 0; k < 16; k++) {
            assertThat(acc[k]).isEqualTo(100f * k * L + L * (L - 1) / 2f);
        }
    }
}
