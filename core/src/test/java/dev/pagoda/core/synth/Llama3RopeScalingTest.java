package dev.pagoda.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Llama3RopeScalingTest {

    @Test
    void llama31FactorsAreOneForShortWavelengthsEightForLongAndBlendedBetween() {
        float[] f = new Llama3RopeScaling(8, 1, 4, 8192).ropeFreqs(128, 500000);
        assertThat(f).hasSize(64);
        // wavelength 2π·500000^(i/64) is below 8192/4 up to i = 28 and above 8192/1 from i = 35.
        for (int i = 0; i < 64; i++) {
            if (i <= 28) {
                assertThat(f[i]).as("pair %d", i).isEqualTo(1f);
            } else if (i >= 35) {
                assertThat(f[i]).as("pair %d", i).isEqualTo(8f);
            } else {
                assertThat(f[i]).as("pair %d", i).isStrictlyBetween(1f, 8f);
                assertThat(f[i]).isGreaterThan(f[i - 1]);
            }
        }
        // Pair 32: wavelength 2π·sqrt(500000) = 4442.9; smooth = (8192/4442.9 - 1) / 3 = 0.2813;
        // factor = 1 / ((1 - smooth) / 8 + smooth) = 2.6945.
        assertThat(f[32]).isCloseTo(2.6945f, org.assertj.core.data.Offset.offset(1e-3f));
    }

    @Test
    void llama32UsesFactor32() {
        float[] f = new Llama3RopeScaling(32, 1, 4, 8192).ropeFreqs(64, 500000);
        assertThat(f).hasSize(32);
        assertThat(f[0]).isEqualTo(1f);
        assertThat(f[31]).isEqualTo(32f);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Llama3RopeScaling(8, 4, 1, 8192)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Llama3RopeScaling(8, 1, 4, 8192).ropeFreqs(7, 1e4))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
