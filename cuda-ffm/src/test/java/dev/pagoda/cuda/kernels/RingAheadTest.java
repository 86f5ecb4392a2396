package dev.pagoda.cuda.kernels;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cap on a ring block's requests in flight: which launches it reaches and how it reads its properties. */
class RingAheadTest {
    @Test
    void capsOnlyLaunchesOfAtLeastItsColumnsAndNeverBeyondTheRing() {
        RingAhead downOnly = new RingAhead(2, 14336);
        assertThat(downOnly.inFlight(5, 14336)).as("8B down projection").isEqualTo(2);
        assertThat(downOnly.inFlight(5, 28672)).as("70B down projection").isEqualTo(2);
        assertThat(downOnly.inFlight(5, 4096)).as("gate/up keep the whole ring").isEqualTo(5);
        assertThat(new RingAhead(8, 0).inFlight(5, 4096)).as("no more than the stages").isEqualTo(5);
        assertThat(RingAhead.UNCAPPED.inFlight(6, 14336)).isEqualTo(6);
        assertThat(downOnly.inFlight(0, 14336)).as("a shape without room for a stage stays without").isEqualTo(0);
    }

    @Test
    void readsItsPropertiesAndNamesABadOne() {
        String before = System.getProperty(RingAhead.PROPERTY);
        try {
            System.clearProperty(RingAhead.PROPERTY);
            assertThat(RingAhead.fromProperties()).as("by default")
                    .isEqualTo(new RingAhead(RingAhead.DEFAULT_REQUESTS, RingAhead.DEFAULT_MIN_COLS));
            System.setProperty(RingAhead.PROPERTY, "0");
            assertThat(RingAhead.fromProperties()).isEqualTo(RingAhead.UNCAPPED);
            System.setProperty(RingAhead.PROPERTY, "3");
            assertThat(RingAhead.fromProperties()).isEqualTo(new RingAhead(3, RingAhead.DEFAULT_MIN_COLS));
            System.setProperty(RingAhead.PROPERTY, "two");
            assertThatThrownBy(RingAhead::fromProperties).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-Dpagoda.cuda.ringAhead=two");
            assertThatThrownBy(() -> new RingAhead(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            SystemProperties.restore(RingAhead.PROPERTY, before);
        }
    }
}
