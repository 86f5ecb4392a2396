package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The element-wise and row-wise ops (rmsnorm, softmax, swiglu, add, kv_store, argmax) against scalar Java. */
class SmallOpsKernelTest {
    private static Cuda cuda;
    private static CudaStream stream;
    private final Random random = new Random();

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        stream = cuda.createStream();
    }

    @AfterAll
    static void tearDown() {
        if (stream != null) {
            stream.close();
        }
    }

    @Test
    void rmsNorm() {
        int rows = 5;
        int n = 4096 + 96;
        float eps = 1e-5f;
        float[] x = RandomWeights.gaussian(rows * n, random);
        float[] w = RandomWeights.gaussian(n, random);
        double[] want = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int i = 0; i < n; i++) {
                ss += (double) x[r * n + i] * x[r * n + i];
            }
            double scale = 1 / Math.sqrt(ss / n + eps);
            for (int i = 0; i < n; i++) {
                want[r * n + i] = x[r * n + i] * scale * w[i];
            }
        }
        try (RmsNorm op = new RmsNorm(cuda); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer dw = DeviceArrays.upload(cuda, w); DeviceBuffer out = DeviceArrays.poisoned(cuda, rows * n)) {
            op.launch(dx, dw, out, rows, n, eps, stream);
            stream.synchronize();
            DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(out, rows * n), 1e-5, "rmsnorm");
        }
    }

    @Test
    void softmaxInPlace() {
        int rows = 3;
        int n = 1000;
        float[] x = new float[rows * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 5);
        }
        double[] want = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                m = Math.max(m, x[r * n + i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.exp(x[r * n + i] - m);
            }
            for (int i = 0; i < n; i++) {
                want[r * n + i] = Math.exp(x[r * n + i] - m) / sum;
            }
        }
        try (Softmax op = new Softmax(cuda); DeviceBuffer dx = DeviceArrays.upload(cuda, x)) {
            op.launch(dx, dx, rows, n, stream);
            stream.synchronize();
            DeviceArrays.assertClose(want, DeviceArrays.downloadFloats(dx, rows * n), 1e-5, "softmax");
        }
    }

    @Test
    void swiGluAndAdd() {
        int n = 14336 + 7;
        float[] gate = RandomWeights.gaussian(n, random);
        float[] up = RandomWeights.gaussian(n, random);
        double[] wantSwiGlu = new double[n];
        double[] wantAdd = new double[n];
        for (int i = 0; i < n; i++) {
            wantSwiGlu[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
            wantAdd[i] = (double) gate[i] + up[i];
        }
        try (SwiGlu swiGlu = new SwiGlu(cuda); Add add = new Add(cuda); DeviceBuffer g = DeviceArrays.upload(cuda, gate);
             DeviceBuffer u = DeviceArrays.upload(cuda, up); DeviceBuffer out = DeviceArrays.poisoned(cuda, n)) {
            swiGlu.launch(g, u, out, n, stream);
            stream.synchronize();
            DeviceArrays.assertClose(wantSwiGlu, DeviceArrays.downloadFloats(out, n), 1e-6, "swiglu");
            add.launch(g, u, g, n, stream);
            stream.synchronize();
            DeviceArrays.assertClose(wantAdd, DeviceArrays.downloadFloats(g, n), 1e-7, "add in place");
        }
    }

    @Test
    void swiGluTriggeringFirstGivesTheSameBits() {
        int n = 14336 + 7;
        float[] gate = RandomWeights.gaussian(n, random);
        float[] up = RandomWeights.gaussian(n, random);
        try (SwiGlu swiGlu = new SwiGlu(cuda, true);
             DeviceBuffer g = DeviceArrays.upload(cuda, gate); DeviceBuffer u = DeviceArrays.upload(cuda, up);
             DeviceBuffer want = DeviceArrays.poisoned(cuda, n); DeviceBuffer got = DeviceArrays.poisoned(cuda, n)) {
            swiGlu.launch(g, u, want, n, stream);
            swiGlu.launchBeforeRing(g, u, got, n, stream);
            stream.synchronize();
            assertThat(DeviceArrays.downloadFloats(got, n)).containsExactly(DeviceArrays.downloadFloats(want, n));
        }
    }

    @Test
    void kvStoreRoundsToF16AtTheRightRows() {
        int ctx = 40;
        int rowLen = 8 * 128;
        int tokens = 5;
        int startPos = 33;
        float[] src = RandomWeights.gaussian(tokens * rowLen, random);
        try (KvStore op = new KvStore(cuda); DeviceBuffer s = DeviceArrays.upload(cuda, src);
             DeviceBuffer start = DeviceArrays.upload(cuda, new int[] {startPos});
             DeviceBuffer cache = cuda.allocate((long) ctx * rowLen * 2)) {
            cache.fill32(0x7e007e00);
            op.launch(s, cache, tokens, rowLen, start, ctx, stream);
            stream.synchronize();
            short[] got = DeviceArrays.downloadShorts(cache, ctx * rowLen);
            for (int i = 0; i < ctx * rowLen; i++) {
                int row = i / rowLen;
                if (row >= startPos && row < startPos + tokens) {
                    assertThat(got[i]).as("cache element %d", i).isEqualTo(Float.floatToFloat16(src[i - startPos * rowLen]));
                } else {
                    assertThat(got[i]).as("cache element %d outside the stored rows", i).isEqualTo((short) 0x7e00);
                }
            }
        }
    }

    @Test
    void kvStoreDropsRowsPastTheCapacity() {
        int capacity = 12;
        int rowLen = 2 * 64;
        int tokens = 5;
        int startPos = capacity - 2;
        float[] src = RandomWeights.gaussian(tokens * rowLen, random);
        try (KvStore op = new KvStore(cuda); DeviceBuffer s = DeviceArrays.upload(cuda, src);
             DeviceBuffer start = DeviceArrays.upload(cuda, new int[] {startPos});
             DeviceBuffer cache = cuda.allocate((long) (capacity + tokens) * rowLen * 2)) {
            cache.fill32(0x7e007e00);
            op.launch(s, cache, tokens, rowLen, start, capacity, stream);
            stream.synchronize();
            short[] got = DeviceArrays.downloadShorts(cache, (capacity + tokens) * rowLen);
            for (int i = 0; i < got.length; i++) {
                int row = i / rowLen;
                if (row >= startPos && row < capacity) {
                    assertThat(got[i]).as("cache element %d", i).isEqualTo(Float.floatToFloat16(src[i - startPos * rowLen]));
                } else {
                    assertThat(got[i]).as("cache element %d outside rows %d..%d", i, startPos, capacity - 1)
                            .isEqualTo((short) 0x7e00);
                }
            }
        }
    }

    @Test
    void argMaxFindsTheLargestAndTheFirstOfTies() {
        int n = 128256;
        float[] x = RandomWeights.gaussian(n, random);
        int best = random.nextInt(n);
        x[best] = 50f;
        try (ArgMax op = new ArgMax(cuda); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer out = DeviceArrays.upload(cuda, new int[] {-1})) {
            op.launch(dx, n, out, stream);
            stream.synchronize();
            assertThat(DeviceArrays.downloadInts(out, 1)[0]).isEqualTo(best);
        }
        int first = 1000 + random.nextInt(50000);
        x[best] = 0f;
        x[first] = 60f;
        x[first + 70000] = 60f;
        x[5] = Float.NaN;
        try (ArgMax op = new ArgMax(cuda); DeviceBuffer dx = DeviceArrays.upload(cuda, x);
             DeviceBuffer out = DeviceArrays.upload(cuda, new int[] {-1})) {
            op.launch(dx, n, out, stream);
            stream.synchronize();
            assertThat(DeviceArrays.downloadInts(out, 1)[0]).isEqualTo(first);
        }
    }
}
