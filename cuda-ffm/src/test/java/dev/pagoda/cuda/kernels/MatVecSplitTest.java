package dev.pagoda.cuda.kernels;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The matvec kernels' split of a row over warps, on the H100's 132 multiprocessors (no GPU needed). */
class MatVecSplitTest {
    @Test
    void smallMatricesSplitEachRowOverWarps() {
        assertThat(MatVec.kSplit(1024, 4096, 132)).as("k/v projection").isEqualTo(4);
        assertThat(MatVec.kSplit(4096, 4096, 132)).as("q projection: 256 blocks unsplit").isEqualTo(1);
        assertThat(MatVec.kSplit(14336, 4096, 132)).as("ffn gate/up").isEqualTo(1);
        assertThat(MatVec.kSplit(4096, 14336, 132)).as("ffn down: 256 blocks unsplit").isEqualTo(1);
        assertThat(MatVec.kSplit(2048, 8192, 132)).as("128 blocks unsplit: under one per multiprocessor").isEqualTo(2);
    }

    @Test
    void everyWarpKeepsAWholeStepOfFourBlocks() {
        assertThat(MatVec.kSplit(8, 65536, 132)).isEqualTo(8);
        assertThat(MatVec.kSplit(8, 2048, 132)).isEqualTo(2);
        assertThat(MatVec.kSplit(8, 256, 132)).isEqualTo(1);
    }

    /** q6_K: 528 blocks fit at 4096 columns (4 per multiprocessor), 396 at 14336 (x fills 68 KB of shared memory). */
    @Test
    void q6kSplitsRowsWhereTheGridWouldRunAShortLastPass() {
        assertThat(MatVecShape.unitKSplit(1024, 4096, 528)).as("v projection: 128 blocks alone").isEqualTo(4);
        assertThat(MatVecShape.unitKSplit(4096, 4096, 528)).as("one full pass").isEqualTo(1);
        assertThat(MatVecShape.unitKSplit(14336, 4096, 528)).as("ffn gate/up").isEqualTo(1);
        assertThat(MatVecShape.unitKSplit(4096, 14336, 396)).as("ffn down: 2 passes for 1.3").isEqualTo(2);
        assertThat(MatVecShape.unitKSplit(128256, 4096, 528)).as("output").isEqualTo(1);
    }

    @Test
    void q6kLaunchShapesCarryTheSplitAndItsPartials() {
        int optIn = 227 * 1024;
        MatVecShape down = MatVecShape.of(WeightType.Q6_K, 4096, 14336, 132, optIn, "test");
        assertThat(down.kSplit()).as("long rows: 2 blocks per multiprocessor, 2 passes either way").isEqualTo(1);
        assertThat(down.grid()).isEqualTo(264);
        assertThat(MatVecShape.of(WeightType.Q6_K, 14336, 4096, 132, optIn, "test").grid()).isEqualTo(528);
        assertThat(down.sharedBytes()).isEqualTo((14336 / 32 * 36 + 14336 / 16 + MatVec.WARPS) * Float.BYTES);
        assertThat(MatVecShape.of(WeightType.Q8_0, 4096, 14336, 132, optIn, "test").kSplit()).isEqualTo(1);
        assertThat(MatVecShape.takesKSplit(WeightType.Q6_K)).isTrue();
        assertThat(MatVecShape.takesKSplit(WeightType.Q5_K)).isFalse();
    }

    /** int8 x: q4_K unsplit on 256 blocks at 4096 rows, the unit kernels at 2 blocks per multiprocessor for long rows. */
    @Test
    void int8LaunchShapes() {
        int optIn = 227 * 1024;
        MatVecShape q4kDown = MatVecShape.ofInt8(MatVecInput.INT8, WeightType.Q4_K, 4096, 14336, 132, optIn, "test");
        assertThat(q4kDown.kSplit()).isEqualTo(1);
        assertThat(q4kDown.grid()).isEqualTo(256);
        assertThat(q4kDown.sharedBytes()).isEqualTo(14336 / 32 * 48 + MatVec.WARPS * 2 * Float.BYTES);
        MatVecShape q4kGate = MatVecShape.ofInt8(MatVecInput.INT8, WeightType.Q4_K, 14336, 4096, 132, optIn, "test");
        assertThat(q4kGate.kSplit()).isEqualTo(1);
        assertThat(q4kGate.grid()).as("3 blocks per multiprocessor").isEqualTo(396);
        MatVecShape q6kDown = MatVecShape.ofInt8(MatVecInput.INT8, WeightType.Q6_K, 4096, 14336, 132, optIn, "test");
        assertThat(q6kDown.kSplit()).isEqualTo(1);
        assertThat(q6kDown.grid()).isEqualTo(264);
        assertThat(MatVecShape.ofInt8(MatVecInput.INT8, WeightType.Q8_0, 14336, 4096, 132, optIn, "test").grid()).isEqualTo(528);
    }

    /** 16-bit x: 80-byte records (two int8 levels), the same grids as int8 at the 8B shapes. */
    @Test
    void int16LaunchShapes() {
        int optIn = 227 * 1024;
        MatVecShape q4kDown = MatVecShape.of(MatVecInput.INT16, WeightType.Q4_K, 4096, 14336, 132, optIn, "test");
        assertThat(q4kDown.sharedBytes()).isEqualTo(14336 / 32 * 80 + MatVec.WARPS * 2 * Float.BYTES);
        assertThat(q4kDown.grid()).isEqualTo(256);
        assertThat(MatVecShape.of(MatVecInput.INT16, WeightType.Q4_K, 14336, 4096, 132, optIn, "test").grid())
                .isEqualTo(396);
        assertThat(MatVecShape.of(MatVecInput.INT16, WeightType.Q6_K, 4096, 14336, 132, optIn, "test").grid())
                .isEqualTo(264);
        assertThat(MatVecShape.of(MatVecInput.INT16, WeightType.Q5_K, 4096, 4096, 132, optIn, "test").sharedBytes())
                .as("Q5_K keeps float x").isEqualTo(MatVecShape.sharedBytes(4096));
        assertThat(MatVecInput.INT16.quantizes(WeightType.Q6_K)).isTrue();
        assertThat(MatVecInput.INT16.quantizes(WeightType.F16)).isFalse();
    }
}
