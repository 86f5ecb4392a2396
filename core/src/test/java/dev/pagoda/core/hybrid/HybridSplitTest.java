package dev.pagoda.core.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.TensorInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HybridSplitTest {
    private static final HybridSplit SPLIT = new HybridSplit(57e9,
            new HostMatvecRates(Map.of(GgmlType.Q4_K, 54.5e9, GgmlType.Q6_K, 19e9)), 32);

    @Test
    void hostShareBalancesBothSidesSoTheBandwidthsAdd() {
        double f = SPLIT.hostFraction(GgmlType.Q4_K);
        assertThat(f).isCloseTo(54.5 / (54.5 + 57), within(1e-12));
        double bytes = 21e9;
        assertThat(f * bytes / 54.5e9).isCloseTo((1 - f) * bytes / 57e9, within(1e-9));
        // the bound: 21 GB / (54.5 + 57) GB/s ≈ 5.3 tok/s
        assertThat(1 / (f * bytes / 54.5e9)).isCloseTo(5.31, within(0.01));
        assertThat(SPLIT.hostFraction(GgmlType.Q6_K)).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void deviceRowsAreWholeGroupsAndTheRaggedEndGoesToTheHost() {
        assertThat(HybridSplit.deviceRows(8192, 0.5, 32)).isEqualTo(4096);
        assertThat(HybridSplit.deviceRows(8192, 0.51, 32)).isEqualTo(4192); // 4177.9 → 130.5 groups → 131
        assertThat(HybridSplit.deviceRows(8192, 0.51, 32) % 32).isZero();
        assertThat(HybridSplit.deviceRows(172, 0.99, 32)).as("172 rows: 5 whole groups").isEqualTo(160);
        assertThat(HybridSplit.deviceRows(172, 1.0, 32)).isEqualTo(172);
        assertThat(HybridSplit.deviceRows(172, 0.0, 32)).isZero();
        assertThat(HybridSplit.deviceRows(32, 0.4, 32)).isZero();
        assertThat(HybridSplit.deviceRows(32, 0.6, 32)).isEqualTo(32);
        assertThat(SPLIT.deviceRows(28672, GgmlType.Q6_K)).isEqualTo(21504); // 0.75 · 28672 = 672 groups
    }

    @Test
    void badRatesAreRefusedByName() {
        assertThatThrownBy(() -> new HybridSplit(0, SPLIT.hostRates(), 32)).hasMessageContaining("link rate");
        assertThatThrownBy(() -> new HostMatvecRates(Map.of(GgmlType.Q4_K, -1.0))).hasMessageContaining("Q4_K");
        assertThatThrownBy(() -> SPLIT.hostFraction(GgmlType.Q8_0)).hasMessageContaining("no host matvec rate for Q8_0");
    }

    @Test
    void controllerStartsAtThePlannedBalanceAndMovesByBoundedSteps() {
        SplitController c = SplitController.adaptive(SPLIT, List.of(GgmlType.Q4_K));
        assertThat(c.deviceFraction(GgmlType.Q4_K)).isCloseTo(57 / (54.5 + 57), within(1e-12));
        assertThat(c.deviceFraction(GgmlType.F32)).as("a type not planned stays on the device").isEqualTo(1);
        TensorInfo t = new TensorInfo("blk.0.ffn_up.weight", new long[] {256, 1024}, GgmlType.Q4_K, 0, 0);
        assertThat(c.deviceRows(0, t) % 32).isZero();

        // the host turns out 3× slower per byte than planned: the device share grows, 0.05 per token at most
        double before = c.deviceFraction(GgmlType.Q4_K);
        c.observe(GgmlType.Q4_K, 1_000_000, (long) (3 * 1e15 / 54.5e9), 1_000_000, (long) (1e15 / 57e9));
        c.update();
        double after = c.deviceFraction(GgmlType.Q4_K);
        assertThat(after).isGreaterThan(before).isLessThanOrEqualTo(before + SplitController.MAX_STEP + 1e-12);

        assertThat(SplitController.step(0.5, 1, 1)).isEqualTo(0.5);
        assertThat(SplitController.step(0.5, 3, 1)).isCloseTo(0.55, within(1e-12));
        assertThat(SplitController.step(0.74, 3, 1)).isCloseTo(0.75, within(1e-12));
        assertThat(SplitController.step(0.5, 1, 9)).isCloseTo(0.45, within(1e-12));
    }

    @Test
    void fixedControllerNeverMoves() {
        SplitController c = SplitController.fixed(0.5, 32);
        c.observe(GgmlType.Q4_K, 100, 1_000_000, 100, 1);
        c.update();
        assertThat(c.deviceFraction(GgmlType.Q4_K)).isEqualTo(0.5);
        assertThatThrownBy(() -> SplitController.fixed(1.5, 32)).hasMessageContaining("[0, 1]");
    }
}
