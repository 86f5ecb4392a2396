package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaGraph;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttentionKernelTest {
    /** An f16 NaN pair: cache rows past the sequence are filled with it, so reading one shows. */
    private static final int F16_NAN_PAIR = 0x7e007e00;

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

    /**
     * Decode (one token) and causal prefill batches: short sequences, ones spanning several splits, a
     * grid sized for a longer context than the sequence (as captured for decode), spans longer than a
     * tile (online softmax), and head widths that are not a multiple of 64.
     */
    @ParameterizedTest
    @CsvSource({"1, 0, 8, 8, 64, 1", "1, 700, 32, 8, 128, 4096", "4, 600, 8, 2, 128, 604", "9, 0, 4, 1, 128, 9",
            "1, 5000, 32, 8, 128, 5001", "1, 9000, 4, 2, 256, 9001", "64, 700, 4, 1, 80, 764", "3, 40, 4, 4, 128, 8192",
            "15, 100, 4, 2, 128, 115"})
    void matchesScalarReference(int tokens, int startPos, int heads, int kvHeads, int headDim, int maxEnd) {
        check(tokens, startPos, heads, kvHeads, headDim, maxEnd, false);
    }

    /**
     * Batches through the tensor-core kernel (attention_prefill.cu): the fewest tokens it takes, ragged
     * batches (not a multiple of its 64-token blocks) at later start positions, a cache longer than the
     * sequence (rows past it are NaN and must not be read), group sizes 1 to 8, head widths 64 and 128,
     * and a whole 512-token prompt at the 8B shape. Q and the softmax weights are rounded to f16 for the
     * products, so the tolerance is 2e-3 relative L2 (a wrong mask or tile is off by far more).
     */
    @ParameterizedTest
    @CsvSource({"16, 0, 4, 1, 128, 16", "100, 37, 8, 2, 64, 200", "130, 1000, 8, 8, 128, 1200", "64, 0, 8, 1, 64, 64",
            "65, 63, 16, 2, 128, 128", "512, 0, 32, 8, 128, 512", "200, 300, 8, 8, 64, 4096"})
    void tensorCoreBatchMatchesScalarReference(int tokens, int startPos, int heads, int kvHeads, int headDim, int maxEnd) {
        check(tokens, startPos, heads, kvHeads, headDim, maxEnd, true);
    }

    private void check(int tokens, int startPos, int heads, int kvHeads, int headDim, int maxEnd, boolean tensorCores) {
        int ctx = startPos + tokens;
        int rowLen = kvHeads * headDim;
        float scale = (float) (1 / Math.sqrt(headDim));
        float[] k = RandomWeights.gaussian(ctx * rowLen, random);
        float[] v = RandomWeights.gaussian(ctx * rowLen, random);
        float[] q = RandomWeights.gaussian(tokens * heads * headDim, random);
        double[] want = reference(q, k, v, tokens, startPos, heads, kvHeads, headDim, scale);
        try (DeviceBuffer dk = DeviceArrays.upload(cuda, k); DeviceBuffer dv = DeviceArrays.upload(cuda, v);
             DeviceBuffer kCache = cuda.allocate((long) maxEnd * rowLen * 2);
             DeviceBuffer vCache = cuda.allocate((long) maxEnd * rowLen * 2);
             DeviceBuffer zero = DeviceArrays.upload(cuda, new int[] {0});
             DeviceBuffer start = DeviceArrays.upload(cuda, new int[] {startPos});
             DeviceBuffer dq = DeviceArrays.upload(cuda, q);
             DeviceBuffer work = cuda.allocate(Attention.workspaceBytes(tokens, heads, headDim));
             DeviceBuffer out = DeviceArrays.poisoned(cuda, (long) tokens * heads * headDim)) {
            kCache.fill32(F16_NAN_PAIR);
            vCache.fill32(F16_NAN_PAIR);
            work.fill32(DeviceArrays.NAN_BITS);
            kvStore.launch(dk, kCache, ctx, rowLen, zero, maxEnd, stream);
            kvStore.launch(dv, vCache, ctx, rowLen, zero, maxEnd, stream);
            assertThat(Attention.prefillKernelFits(tokens, headDim, dq, kCache, vCache, out))
                    .as("takes the tensor-core kernel").isEqualTo(tensorCores);
            attention.launch(dq, kCache, vCache, work, out, tokens, heads, kvHeads, headDim, start, maxEnd, scale, stream);
            stream.synchronize();
            DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(out, want.length), tensorCores ? 2e-3 : 1e-5,
                    "attention tokens=" + tokens + " startPos=" + startPos + " maxEnd=" + maxEnd);
        }
    }

    /**
     * One token through the one-token kernel (attention_decode.cu): sequence lengths around its span and
     * step sizes (1, 2, 63, 64, 65, 1000, 4096), group sizes 1, 2, 4 and 8, head widths 64, 128 and 256,
     * grids sized for the sequence itself and for a longer captured context; and shapes it does not take
     * (group 3, head width 80), which fall back to the general kernel.
     */
    @ParameterizedTest
    @CsvSource({"1, 32, 8, 128, 1", "1, 32, 8, 128, 640", "2, 32, 8, 128, 2", "63, 32, 8, 128, 64", "64, 32, 8, 128, 64",
            "65, 32, 8, 128, 4096", "1000, 32, 8, 128, 1000", "4096, 32, 8, 128, 4096", "576, 32, 8, 128, 640",
            "1, 8, 8, 128, 4096", "65, 8, 8, 128, 65", "1000, 8, 8, 64, 2048", "4096, 8, 8, 128, 4096",
            "1, 64, 8, 128, 64", "63, 64, 8, 128, 63", "1000, 64, 8, 128, 4096", "4096, 64, 8, 256, 4096",
            "65, 16, 8, 128, 100", "2, 4, 2, 256, 2", "1000, 8, 4, 64, 1000", "200, 6, 2, 128, 300", "100, 8, 8, 80, 100"})
    void oneTokenMatchesScalarReference(int sequence, int heads, int kvHeads, int headDim, int maxEnd) {
        matchesScalarReference(1, sequence - 1, heads, kvHeads, headDim, maxEnd);
    }

    /**
     * The decode step as CUDA graphs replay it: store one token's K and V and attend, captured once, then
     * replayed at several positions that are only changed in device memory.
     */
    @Test
    void oneCapturedDecodeStepServesEveryPosition() {
        int heads = 32;
        int kvHeads = 8;
        int headDim = 128;
        int context = 1500;
        int rowLen = kvHeads * headDim;
        float scale = (float) (1 / Math.sqrt(headDim));
        float[] k = RandomWeights.gaussian(context * rowLen, random);
        float[] v = RandomWeights.gaussian(context * rowLen, random);
        try (DeviceBuffer kCache = cuda.allocate((long) context * rowLen * 2);
             DeviceBuffer vCache = cuda.allocate((long) context * rowLen * 2);
             DeviceBuffer dk = DeviceArrays.upload(cuda, k); DeviceBuffer dv = DeviceArrays.upload(cuda, v);
             DeviceBuffer zero = DeviceArrays.upload(cuda, new int[] {0});
             DeviceBuffer position = DeviceArrays.upload(cuda, new int[] {0});
             DeviceBuffer newK = cuda.allocate(4L * rowLen); DeviceBuffer newV = cuda.allocate(4L * rowLen);
             DeviceBuffer dq = cuda.allocate(4L * heads * headDim);
             DeviceBuffer work = cuda.allocate(Attention.workspaceBytes(1, heads, headDim));
             DeviceBuffer out = DeviceArrays.poisoned(cuda, (long) heads * headDim)) {
            // the cache holds other keys and values everywhere; the step overwrites row `position`
            kvStore.launch(dk, kCache, context, rowLen, zero, context, stream);
            kvStore.launch(dv, vCache, context, rowLen, zero, context, stream);
            stream.synchronize();
            stream.beginCapture();
            kvStore.launch(newK, kCache, 1, rowLen, position, context, stream);
            kvStore.launch(newV, vCache, 1, rowLen, position, context, stream);
            attention.launch(dq, kCache, vCache, work, out, 1, heads, kvHeads, headDim, position, context, scale, stream);
            try (CudaGraph step = stream.endCapture(); Arena arena = Arena.ofConfined()) {
                for (int pos : new int[] {0, 31, 32, 63, 64, 700, 1499, 5}) {
                    float[] q = RandomWeights.gaussian(heads * headDim, random);
                    float[] kRow = RandomWeights.gaussian(rowLen, random);
                    float[] vRow = RandomWeights.gaussian(rowLen, random);
                    System.arraycopy(kRow, 0, k, pos * rowLen, rowLen);
                    System.arraycopy(vRow, 0, v, pos * rowLen, rowLen);
                    dq.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_FLOAT, q));
                    newK.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_FLOAT, kRow));
                    newV.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_FLOAT, vRow));
                    position.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_INT, pos));
                    out.fill32(DeviceArrays.NAN_BITS);
                    step.launch(stream);
                    stream.synchronize();
                    double[] want = reference(q, k, v, 1, pos, heads, kvHeads, headDim, scale);
                    DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(out, want.length), 1e-5,
                            "captured decode step replayed at position " + pos);
                }
            }
        }
    }

    @Test
    void rejectsACacheShorterThanTheGrid() {
        try (DeviceBuffer small = cuda.allocate(2L * 10 * 128); DeviceBuffer buf = cuda.allocate(1 << 20);
             DeviceBuffer start = DeviceArrays.upload(cuda, new int[] {0})) {
            assertThatThrownBy(() -> attention.launch(buf, small, small, buf, buf, 1, 1, 1,
                            128, start, 11, 1f, stream))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kCache");
        }
    }

    /** float64 attention of each token t over positions 0..startPos + t of f16-rounded keys and values. */
    private static double[] reference(float[] q, float[] k, float[] v, int tokens, int startPos, int heads, int kvHeads,
                                      int headDim, float scale) {
        int rowLen = kvHeads * headDim;
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
        return want;
    }

    private static double f16(float x) {
        return Float.float16ToFloat(Float.floatToFloat16(x));
    }
}
