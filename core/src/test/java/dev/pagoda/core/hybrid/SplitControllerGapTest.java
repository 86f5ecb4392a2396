package dev.pagoda.core.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pagoda.gguf.GgmlType;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the waits of the host's path move the share (runs without a GPU). */
class SplitControllerGapTest {
    private static final GgmlType T = GgmlType.Q4_K;

    /** Host and link both 1 ns/byte: the balance is half the rows on each side. */
    private static SplitController even() {
        HybridSplit split = new HybridSplit(1e9, new HostMatvecRates(Map.of(T, 1e9)), 32);
        return SplitController.adaptive(split, Set.of(T));
    }

    private static void pass(SplitController c, long gapNanos, long inputWaitNanos) {
        c.observe(T, 1_000_000, 1_000_000, 0, 0);
        c.observe(T, 0, 0, 1_000_000, 1_000_000);
        if (gapNanos > 0) {
            c.observeHostGap(T, gapNanos);
        }
        c.observeInputWait(inputWaitNanos);
        c.update();
    }

    @Test
    void balancedTimesKeepTheShare() {
        SplitController c = even();
        assertThat(c.deviceFraction(T)).isCloseTo(0.5, within(1e-12));
        pass(c, 0, 0);
        assertThat(c.deviceFraction(T)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void theGapBeforeBlocksMovesRowsToTheLinkWhichKeepsCopyingMeanwhile() {
        SplitController c = even();
        pass(c, 500_000, 0);  // host path 1.5 ms for 1 MB against the link's 1 ms
        // smoothed host time 1 + 0.25 · 0.5 = 1.125 ns/byte: target 1.125 / 2.125
        assertThat(c.deviceFraction(T)).isCloseTo(1.125 / 2.125, within(1e-12));
        for (int i = 0; i < 50; i++) {
            pass(c, 500_000, 0);
        }
        // smoothed 1.5 ns/byte host against 1 ns/byte link: device share 1.5 / 2.5
        assertThat(c.deviceFraction(T)).isCloseTo(0.6, within(1e-3));
    }

    @Test
    void waitsInsideBlocksAreOnlyCounted() {
        SplitController c = even();
        pass(c, 0, 700_000);
        assertThat(c.deviceFraction(T)).isCloseTo(0.5, within(1e-12));
        HybridStats s = c.stats(Set.of(T));
        assertThat(s.inputWaitNanos()).isEqualTo(700_000);
        assertThat(s.hostGapNanos()).isZero();
        assertThat(s.hostNanos()).isEqualTo(1_000_000);  // the host's GB/s stays its row products' rate
        assertThat(s.perPassSummary(1)).contains("host waited 0.00 ms before blocks, 0.70 ms inside them");
    }
}
