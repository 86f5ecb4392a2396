package dev.pagoda.cuda.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which formats each matvec input covers (no GPU needed, so it runs in CI). */
class MatVecInputTest {
    @Test
    void int8CoversExactlyTheFormatsWithInt8Kernels() {
        Set<WeightType> int8 = Set.of(WeightType.Q4_0, WeightType.Q8_0, WeightType.Q4_K, WeightType.Q6_K);
        for (WeightType t : WeightType.values()) {
            assertThat(MatVecInput.INT8.quantizes(t)).as("%s", t).isEqualTo(int8.contains(t));
            assertThat(MatVecInput.FLOAT32.quantizes(t)).as("%s", t).isFalse();
        }
    }

    /** MatVec and FusedMatVec load these by name for every format INT8 covers. */
    @Test
    void everyCoveredFormatHasItsInt8KernelsInThePtx() {
        for (WeightType t : WeightType.values()) {
            if (MatVecInput.INT8.quantizes(t)) {
                assertThat(PtxModules.ptx("matvec")).contains(".entry matvec_x8_" + t.kernelSuffix() + "(");
                assertThat(PtxModules.ptx("matvec_fused")).contains(".entry matvec_rows3_x8_" + t.kernelSuffix() + "(")
                        .contains(".entry matvec_swiglu_x8_" + t.kernelSuffix() + "(");
            }
        }
    }
}
