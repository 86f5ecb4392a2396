package dev.pagoda.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagoda.gguf.quant.KQuantScales;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KQuantScaleLanesTest {
    /**
     * Every scale and min of random packed bytes (all bit patterns of the top bits occur) against the scalar
     * reader: the vector form directly (whatever this machine's width) and the dispatching entry.
     */
    @Test
    void unpacksAsTheScalarReaderDoes() {
        Random rnd = new Random(45);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(16);
            float[] out = new float[16];
            float[] viaDispatch = new float[16];
            for (int round = 0; round < 2000; round++) {
                for (int i = 0; i < 16; i++) {
                    block.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt(256));
                }
                float d = (float) rnd.nextGaussian(), dmin = (float) rnd.nextGaussian();
                KQuantScaleLanes.unpackVector(block, 0, d, dmin, out);
                KQuantScaleLanes.unpack(block, 0, d, dmin, viaDispatch);
                assertThat(viaDispatch).as("round %d, unpack", round).isEqualTo(out);
                for (int j = 0; j < 8; j++) {
                    assertThat(out[j]).as("round %d scale %d", round, j).isEqualTo(d * KQuantScales.scale(block, 0, j));
                    assertThat(out[8 + j]).as("round %d min %d", round, j).isEqualTo(dmin * KQuantScales.min(block, 0, j));
                }
            }
        }
    }
}
