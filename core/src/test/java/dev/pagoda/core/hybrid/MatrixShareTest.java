package dev.pagoda.core.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.gguf.GgmlType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The byte ranges of hybrid decode on the GPU: where each matrix of a tier B block sits in its
 * pinned copy, which prefix the device's copy moves, where the host's rows start, where the rest
 * goes when prefill needs the whole matrix, and where the host's results land in the output.
 */
class MatrixShareTest {
    /** 70B Q4_K_M block shapes: Q, K, V, O, gate, up (Q4_K, 144 bytes per 256) and down (Q6_K, 210 per 256). */
    private static final int EMBD = 8192;
    private static final int FF = 28672;
    private static final long[] ROWS = {EMBD, 1024, 1024, EMBD, FF, FF, EMBD};
    private static final long[] ROW_BYTES = {
        GgmlType.Q4_K.byteSize(EMBD), GgmlType.Q4_K.byteSize(EMBD), GgmlType.Q6_K.byteSize(EMBD),
        GgmlType.Q4_K.byteSize(EMBD), GgmlType.Q4_K.byteSize(EMBD), GgmlType.Q4_K.byteSize(EMBD),
        GgmlType.Q6_K.byteSize(FF)};

    @Test
    void matricesArePackedAtAlignedOffsetsInThePinnedBlock() {
        long[] sizes = new long[ROWS.length];
        for (int i = 0; i < ROWS.length; i++) {
            sizes[i] = ROWS[i] * ROW_BYTES[i];
        }
        long[] offsets = MatrixShare.packedOffsets(sizes, 256);
        assertThat(offsets[0]).isZero();
        for (int i = 0; i < ROWS.length; i++) {
            assertThat(offsets[i] % 256).isZero();
            assertThat(offsets[i + 1]).isGreaterThanOrEqualTo(offsets[i] + sizes[i]).isLessThan(offsets[i] + sizes[i] + 256);
        }
        assertThat(MatrixShare.packedOffsets(new long[] {1, 1}, 256)).containsExactly(0, 256, 512);
        assertThatThrownBy(() -> MatrixShare.packedOffsets(sizes, 100)).hasMessageContaining("power of two");
    }

    @Test
    void deviceCopyHostRowsRestAndOutputTailTileEachMatrix() {
        long[] sizes = new long[ROWS.length];
        for (int i = 0; i < ROWS.length; i++) {
            sizes[i] = ROWS[i] * ROW_BYTES[i];
        }
        long[] offsets = MatrixShare.packedOffsets(sizes, 256);
        SplitController c = SplitController.adaptive(new HybridSplit(54.5e9,
                new HostMatvecRates(Map.of(GgmlType.Q4_K, 40e9, GgmlType.Q6_K, 30e9)), 32),
                List.of(GgmlType.Q4_K, GgmlType.Q6_K));
        GgmlType[] types = {GgmlType.Q4_K, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q4_K, GgmlType.Q4_K,
            GgmlType.Q4_K, GgmlType.Q6_K};
        for (int i = 0; i < ROWS.length; i++) {
            int rows = (int) ROWS[i];
            int g = c.deviceRows(types[i], rows);
            assertThat(g % 32).isZero();
            assertThat(g).isStrictlyBetween(0, rows);
            MatrixShare s = new MatrixShare(offsets[i], rows, ROW_BYTES[i], g);
            // the device's prefix and the host's rows cover the matrix exactly once
            assertThat(s.deviceBytes() + s.hostBytes()).isEqualTo(sizes[i]);
            assertThat(s.hostRowsOffset()).isEqualTo(offsets[i] + (long) g * ROW_BYTES[i]);
            assertThat(s.hostRowsOffset() + s.hostBytes()).isEqualTo(offsets[i] + sizes[i]);
            // prefill's completing copy lands right after the device rows in the slot
            assertThat(s.restSlotOffset()).isEqualTo(s.deviceBytes());
            // the output: device writes floats [0, g), the host's results go to [g, rows)
            assertThat(s.outputTailOffset()).isEqualTo(4L * g);
            assertThat(s.outputTailOffset() + s.outputTailBytes()).isEqualTo(4L * rows);
            assertThat(s.wholeOnDevice()).isFalse();
        }
        // Q4_K at 40 vs 54.5 GB/s: the device takes 54.5 / 94.5 of the rows, in groups of 32
        assertThat(c.deviceRows(GgmlType.Q4_K, FF)).isEqualTo(16544);
    }

    @Test
    void edgesOfTheShare() {
        MatrixShare all = new MatrixShare(512, 64, 144, 64);
        assertThat(all.wholeOnDevice()).isTrue();
        assertThat(all.hostRows()).isZero();
        assertThat(all.outputTailBytes()).isZero();
        MatrixShare none = new MatrixShare(512, 64, 144, 0);
        assertThat(none.deviceBytes()).isZero();
        assertThat(none.hostRowsOffset()).isEqualTo(512);
        assertThat(none.outputTailOffset()).isZero();
        assertThatThrownBy(() -> new MatrixShare(0, 64, 144, 65)).hasMessageContaining("device rows 65");
        assertThatThrownBy(() -> new MatrixShare(-1, 64, 144, 0)).hasMessageContaining("offset");
    }

    @Test
    void fixedShareRoundsEveryMatrixToTheQuantumAndStatsCountBothSides() {
        SplitController c = SplitController.fixed(0.5, 32);
        assertThat(c.deviceRows(GgmlType.Q4_K, 8192)).isEqualTo(4096);
        assertThat(c.deviceRows(GgmlType.Q4_K, 100)).as("100 rows: 1.56 groups → 2, within the 3 whole groups").isEqualTo(64);
        assertThat(c.deviceRows(GgmlType.Q8_0, 40)).as("only one whole group").isEqualTo(32);
        c.observe(GgmlType.Q4_K, 1000, 2000, 0, 0);
        c.observe(GgmlType.Q4_K, 0, 0, 3000, 1000);
        c.update();
        HybridStats s = c.stats(List.of(GgmlType.Q4_K));
        assertThat(s.hostBytes()).isEqualTo(1000);
        assertThat(s.hostBytesPerSecond()).isEqualTo(0.5e9);
        assertThat(s.deviceBytesPerSecond()).isEqualTo(3e9);
        assertThat(s.updates()).isEqualTo(1);
        assertThat(s.deviceFractions()).containsEntry(GgmlType.Q4_K, 0.5);
        assertThat(s.perPassSummary(1)).contains("Q4_K 50.0%").contains("host 0.00 ms");
        HybridStats d = c.stats(List.of(GgmlType.Q4_K)).since(s);
        assertThat(d.hostBytes()).isZero();
        assertThat(d.hostBytesPerSecond()).isZero();
    }
}
