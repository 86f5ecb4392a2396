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
            assertThat(MatVecInput.INT16.quantizes(t)).as("%s", t).isEqualTo(int8.contains(t));
            assertThat(MatVecInput.FLOAT32.quantizes(t)).as("%s", t).isFalse();
        }
    }

    /** MatVec and FusedMatVec load these by name for every format INT8 and INT16 cover, in both PTX variants. */
    @Test
    void everyCoveredFormatHasItsIntegerXKernelsInThePtx() {
        for (MatVecInput input : new MatVecInput[] {MatVecInput.INT8, MatVecInput.INT16}) {
            String infix = input.kernelInfix();
            for (WeightType t : WeightType.values()) {
                if (!input.quantizes(t)) {
                    continue;
                }
                for (String matvec : new String[] {"matvec", PtxModules.programmaticVariant("matvec")}) {
                    assertThat(PtxModules.ptx(matvec)).contains(".entry matvec_" + infix + t.kernelSuffix() + "(");
                }
                for (String fused : new String[] {"matvec_fused", PtxModules.programmaticVariant("matvec_fused")}) {
                    assertThat(PtxModules.ptx(fused)).contains(".entry matvec_rows3_" + infix + t.kernelSuffix() + "(")
                            .contains(".entry matvec_swiglu_" + infix + t.kernelSuffix() + "(");
                }
            }
        }
    }
}
