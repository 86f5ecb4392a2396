package dev.pagoda.gguf.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The scale/min readers agree with ggml's byte-by-byte {@code get_scale_min_k4} on random scale bytes. */
class KQuantScalesTest {
    @Test
    void readersMatchGetScaleMinK4() {
        Random rnd = new Random(3);
        byte[] q = new byte[12 + 3];
        MemorySegment w = MemorySegment.ofArray(q);
        for (int rep = 0; rep < 1000; rep++) {
            rnd.nextBytes(q);
            long lo = KQuantScales.low(w, 3);
            int hi = KQuantScales.high(w, 3);
            for (int j = 0; j < 8; j++) {
                int scale = j < 4 ? u8(q, 3 + j) & 63 : (u8(q, 3 + j + 4) & 0xF) | ((u8(q, 3 + j - 4) >> 6) << 4);
                int min = j < 4 ? u8(q, 3 + j + 4) & 63 : (u8(q, 3 + j + 4) >> 4) | ((u8(q, 3 + j) >> 6) << 4);
                assertThat(KQuantScales.scale(lo, hi, j)).as("scale %d", j).isEqualTo(scale);
                assertThat(KQuantScales.min(lo, hi, j)).as("min %d", j).isEqualTo(min);
                assertThat(KQuantScales.scale(w, 3, j)).as("scale %d from memory", j).isEqualTo(scale);
                assertThat(KQuantScales.min(w, 3, j)).as("min %d from memory", j).isEqualTo(min);
            }
        }
    }

    private static int u8(byte[] q, int i) {
        return q[i] & 0xFF;
    }
}
