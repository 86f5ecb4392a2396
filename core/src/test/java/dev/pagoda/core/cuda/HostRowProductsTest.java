package dev.pagoda.core.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which products of a block download their input again (runs without a GPU). */
class HostRowProductsTest {
    private static final int Q = 0, K = 1, V = 2, O = 3, GATE = 4, UP = 5, DOWN = 6;

    @Test
    void qkvShareTheNormedInputAndGateUpShareTheirsTheRestDownloadAgain() {
        assertThat(HostRowProducts.sameInput(-1, Q)).isFalse();
        assertThat(HostRowProducts.sameInput(Q, K)).isTrue();
        assertThat(HostRowProducts.sameInput(K, V)).isTrue();
        assertThat(HostRowProducts.sameInput(V, O)).isFalse();
        assertThat(HostRowProducts.sameInput(O, GATE)).isFalse();
        assertThat(HostRowProducts.sameInput(GATE, UP)).isTrue();
        assertThat(HostRowProducts.sameInput(UP, DOWN)).isFalse();
        // a product that skipped its predecessor (ran whole on the device) downloads again
        assertThat(HostRowProducts.sameInput(Q, V)).isFalse();
        assertThat(HostRowProducts.sameInput(-1, UP)).isFalse();
    }
}
