package dev.pagoda.cuda.kernels;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The super-block matvec's split of a row over warps, on the H100's 132 multiprocessors (no GPU needed). */
class MatVecSplitTest {
    @Test
    void smallMatricesSplitEachRowOverWarps() {
        assertThat(MatVec.kSplit(1024, 4096, 132)).as("k/v projection").isEqualTo(4);
        assertThat(MatVec.kSplit(4096, 4096, 132)).as("q projection").isEqualTo(2);
        assertThat(MatVec.kSplit(14336, 4096, 132)).as("ffn gate/up").isEqualTo(1);
        assertThat(MatVec.kSplit(4096, 14336, 132)).as("ffn down").isEqualTo(2);
    }

    @Test
    void everyWarpKeepsAWholeStepOfFourBlocks() {
        assertThat(MatVec.kSplit(8, 65536, 132)).isEqualTo(8);
        assertThat(MatVec.kSplit(8, 2048, 132)).isEqualTo(2);
        assertThat(MatVec.kSplit(8, 256, 132)).isEqualTo(1);
    }
}
