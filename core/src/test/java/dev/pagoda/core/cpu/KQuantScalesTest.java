package dev.pagoda.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The register-only scale/min readers agree with the array unpacking on random scale bytes. */
class KQuantScalesTest {
    @Test
    void registerReadersMatchUnpack() {
        Random rnd = new Random(3);
        MemorySegment w = Arena.ofAuto().allocate(12);
        int[] scales = new int[8];
        int[] mins = new int[8];
        for (int rep = 0; rep < 1000; rep++) {
            for (int i = 0; i < 12; i++) {
                w.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt(256));
            }
            KQuantScales.unpack(w, 0, scales, mins);
            long lo = KQuantScales.low(w, 0);
            int hi = KQuantScales.high(w, 0);
            for (int j = 0; j < 8; j++) {
                assertThat(KQuantScales.scale(lo, hi, j)).as("scale %d", j).isEqualTo(scales[j]);
                assertThat(KQuantScales.min(lo, hi, j)).as("min %d", j).isEqualTo(mins[j]);
            }
        }
    }
}
