package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

class AttentionKernelTest {
    private static Cuda cuda;
    private static Attention attention;
    private static KvStore kvStore;
    private static CudaStream stream;
    private final Random random = new Random();

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        attention = new Attention(cuda);
        kvStore = new KvStore(cuda);
        stream = cuda.createStream();
    }

    @AfterAll
    static void tearDown() {
        if (attention != null) {
            stream.close();
            kvStore.close();
            attention.close();
        }
    }

    /** Decode (one token) and a causal prefill batch, short contexts and ones spanning several splits. */
    @ParameterizedTest
    @CsvSource({"1, 0, 8, 8, 64", "1, 700, 32, 8, 128", "4, 600, 8, 2, 128", "9, 0, 4, 1, 128", "1, 5000, 32, 8, 128"})
    void matchesScalarReference(int tokens, int startPos, int heads, int kvHeads, int headDim) {
        int ctx = startPos + tokens;
        int rowLen = kvHeads * headDim;
        float scale = (float) (1 / Math.sqrt(headDim));
        float[] k = RandomWeights.gaussian(ctx * rowLen, random);
        float[] v = RandomWeights.gaussian(ctx * rowLen, random);
        float[] q = RandomWeights.gaussian(tokens * heads * headDim, random);
        double[] want = new double[tokens * heads * headDim];
        for (int t = 0; t < tokens; t++) {
            int seq = startPos + t + 1;
            for (int h = 0; h < heads; h++) {
                int kvh = h / (heads / kvHeads);
                double[] s = new double[seq];
                double m = Double.NEGATIVE_INFINITY;
                for (int p = 0; p < seq; p++) {
                    double dot = 0;
                    for (int d = 0; d < headDim; d++) {
                        dot += (double) q[(t * heads + h) * headDim + d] * f16(k[p * rowLen + kvh * headDim + d]);
                    }
                    s[p] = dot * scale;
                    m = Math.max(m, s[p]);
                }
                double sum = 0;
                for (int p = 0; p < seq; p++) {
                    s[p] = Math.exp(s[p] - m);
                    sum += s[p];
                }
                for (int d = 0; d < headDim; d++) {
                    double acc = 0;
                    for (int p = 0; p < seq; p++) {
                        acc += s[p] * f16(v[p * rowLen + kvh * headDim + d]);
                    }
                    want[(t * heads + h) * headDim + d] = acc / sum;
                }
            }
        }
        try (DeviceBuffer dk = DeviceArrays.upload(cuda, k); DeviceBuffer dv = DeviceArrays.upload(cuda, v);
             DeviceBuffer kCache = cuda.allocate((long) ctx * rowLen * 2); DeviceBuffer vCache = cuda.allocate((long) ctx * rowLen * 2);
             DeviceBuffer dq = DeviceArrays.upload(cuda, q);
             DeviceBuffer work = cuda.allocate(Attention.workspaceBytes(tokens, heads, headDim, startPos));
             DeviceBuffer out = DeviceArrays.poisoned(cuda, (long) tokens * heads * headDim)) {
            work.fill32(DeviceArrays.NAN_BITS);
            kvStore.launch(dk, kCache, ctx, rowLen, 0, stream);
            kvStore.launch(dv, vCache, ctx, rowLen, 0, stream);
            attention.launch(dq, kCache, vCache, work, out, tokens, heads, kvHeads, headDim, startPos, scale, stream);
            stream.synchronize();
            DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(out, want.length), 1e-5,
                    "attention tokens=" + tokens + " startPos=" + startPos);
        }
    }

    private static double f16(float x) {
        return Float.float16ToFloat(Float.floatToFloat16(x));
    }
}
