package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddingKernelTest {
    private static Cuda cuda;
    private static Embedding embedding;
    private static CudaStream stream;
    private final Random random = new Random();

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        embedding = new Embedding(cuda);
        stream = cuda.createStream();
    }

    @AfterAll
    static void tearDown() {
        if (embedding != null) {
            stream.close();
            embedding.close();
        }
    }

    @ParameterizedTest
    @EnumSource(WeightType.class)
    void rowsMatchTheReferenceDequantization(WeightType type) {
        int vocab = 50;
        int cols = 512;
        int tokens = 9;
        byte[] table = RandomWeights.matrix(type, vocab, cols, random);
        float[] all = ReferenceDequant.dequantize(type, table, 0, vocab, cols);
        int[] ids = new int[tokens];
        double[] want = new double[tokens * cols];
        for (int t = 0; t < tokens; t++) {
            ids[t] = t == 3 ? ids[1] : random.nextInt(vocab);
            for (int k = 0; k < cols; k++) {
                want[t * cols + k] = all[ids[t] * cols + k];
            }
        }
        try (DeviceBuffer w = DeviceArrays.upload(cuda, table); DeviceBuffer d = DeviceArrays.upload(cuda, ids);
             DeviceBuffer out = DeviceArrays.poisoned(cuda, (long) tokens * cols)) {
            embedding.launch(type, w, 0, vocab, cols, d, tokens, out, stream);
            stream.synchronize();
            DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(out, tokens * cols), 1e-6, "embedding " + type);
        }
    }

    @Test
    void anIdOutsideTheVocabularyGivesNaNNotGarbage() {
        byte[] table = RandomWeights.matrix(WeightType.Q8_0, 4, 64, random);
        try (DeviceBuffer w = DeviceArrays.upload(cuda, table); DeviceBuffer d = DeviceArrays.upload(cuda, new int[] {1, 4});
             DeviceBuffer out = cuda.allocate(2 * 64 * 4)) {
            out.fill32(0);
            embedding.launch(WeightType.Q8_0, w, 0, 4, 64, d, 2, out, stream);
            stream.synchronize();
            float[] got = DeviceArrays.downloadFloats(out, 128);
            for (int k = 0; k < 64; k++) {
                assertThat(Float.isFinite(got[k])).isTrue();
                assertThat(got[64 + k]).isNaN();
            }
        }
    }
}
