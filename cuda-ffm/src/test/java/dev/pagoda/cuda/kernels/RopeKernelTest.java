package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

class RopeKernelTest {
    private static Cuda cuda;
    private static Rope rope;
    private static CudaStream stream;
    private final Random random = new Random();

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        rope = new Rope(cuda);
        stream = cuda.createStream();
    }

    @AfterAll
    static void tearDown() {
        if (rope != null) {
            stream.close();
            rope.close();
        }
    }

    static double[] reference(float[] x, int[] pos, float[] factors, int heads, int headDim, double base) {
        double[] out = new double[x.length];
        for (int t = 0; t < pos.length; t++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < headDim / 2; i++) {
                    double inv = Math.pow(base, -2.0 * i / headDim) / (factors == null ? 1 : factors[i]);
                    double th = pos[t] * inv;
                    int at = (t * heads + h) * headDim + 2 * i;
                    out[at] = x[at] * Math.cos(th) - x[at + 1] * Math.sin(th);
                    out[at + 1] = x[at] * Math.sin(th) + x[at + 1] * Math.cos(th);
                }
            }
        }
        return out;
    }

    /**
     * Positions up to a few thousand: float32 angles lose about pos * 6e-8 radians, so the tolerance
     * is looser than plain float32 arithmetic.
     */
    @Test
    void rotatesAdjacentPairsWithAndWithoutFrequencyFactors() {
        int tokens = 6;
        int heads = 8;
        int headDim = 128;
        float base = 500000f;
        float[] x = RandomWeights.gaussian(tokens * heads * headDim, random);
        int[] pos = new int[tokens];
        for (int t = 0; t < tokens; t++) {
            pos[t] = t == 0 ? 0 : random.nextInt(4000);
        }
        float[] factors = new float[headDim / 2];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = 1 + 7 * random.nextFloat();
        }
        try (DeviceBuffer dp = DeviceArrays.upload(cuda, pos); DeviceBuffer df = DeviceArrays.upload(cuda, factors)) {
            try (DeviceBuffer dx = DeviceArrays.upload(cuda, x)) {
                rope.launch(dx, dp, tokens, heads, headDim, base, stream);
                stream.synchronize();
                DeviceArrays.assertClose(reference(x, pos, null, heads, headDim, base),
                        DeviceArrays.downloadFloats(dx, x.length), 1e-3, "rope");
            }
            try (DeviceBuffer dx = DeviceArrays.upload(cuda, x)) {
                rope.launch(dx, dp, df, tokens, heads, headDim, base, stream);
                stream.synchronize();
                DeviceArrays.assertClose(reference(x, pos, factors, heads, headDim, base),
                        DeviceArrays.downloadFloats(dx, x.length), 1e-3, "rope with frequency factors");
            }
        }
    }
}
