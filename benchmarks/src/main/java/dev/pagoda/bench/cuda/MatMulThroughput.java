package dev.pagoda.bench.cuda;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.PinnedHostBuffer;
import dev.pagoda.cuda.kernels.MatMul;
import dev.pagoda.cuda.kernels.WeightType;

import java.lang.foreign.ValueLayout;

/**
 * Prefill matmul rate per weight type: TFLOP/s = 2 x tokens x rows x cols / time of one launch (median of
 * 7 after 2 warm-ups, timed with events), at 512 tokens on the Llama-3.1-8B attn_q (4096 x 4096) and
 * ffn_gate (14336 x 4096) shapes, with the block tiling and k splits the launcher picks for a model (a workspace given). Then the 8B Q4_K_M prefill
 * estimate from the matmuls alone (its per-layer type mix).
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp ... dev.pagoda.bench.cuda.MatMulThroughput}
 */
public final class MatMulThroughput {
    private static final int TOKENS = 512;
    private static final int[][] SHAPES = {{4096, 4096}, {14336, 4096}};

    private MatMulThroughput() {
    }

    public static void main(String[] args) {
        try (Cuda cuda = Cuda.open(); MatMul matMul = new MatMul(cuda); CudaStream stream = cuda.createStream();
             EventTimer timer = new EventTimer(cuda, stream)) {
            System.out.printf("device: %s (cc %s, %d SMs)%n", cuda.deviceName(), cuda.computeCapability(),
                    cuda.multiprocessorCount());
            System.out.printf("%-6s %-18s %10s %10s %10s%n", "type", "tokens x rows x cols", "tile/split", "ms", "TFLOP/s");
            for (WeightType type : WeightType.values()) {
                for (int[] shape : SHAPES) {
                    time(cuda, matMul, stream, timer, type, TOKENS, shape[0], shape[1]);
                }
            }
            // Llama-3.1-8B Q4_K_M per layer: q, o, gate, up Q4_K; k Q4_K; v and down Q6_K in half the layers.
            double layer = time(cuda, matMul, stream, timer, WeightType.Q4_K, TOKENS, 4096, 4096) * 2
                    + time(cuda, matMul, stream, timer, WeightType.Q4_K, TOKENS, 1024, 4096)
                    + (time(cuda, matMul, stream, timer, WeightType.Q4_K, TOKENS, 1024, 4096)
                       + time(cuda, matMul, stream, timer, WeightType.Q6_K, TOKENS, 1024, 4096)) / 2
                    + time(cuda, matMul, stream, timer, WeightType.Q4_K, TOKENS, 14336, 4096) * 2
                    + (time(cuda, matMul, stream, timer, WeightType.Q4_K, TOKENS, 4096, 14336)
                       + time(cuda, matMul, stream, timer, WeightType.Q6_K, TOKENS, 4096, 14336)) / 2;
            double ms = 32 * layer;
            System.out.printf("8B Q4_K_M block matmuls at %d tokens: %.1f ms = %.0f tok/s (matmuls only, no output "
                    + "matrix: prefill needs only the last row's logits)%n", TOKENS, ms, TOKENS / (ms * 1e-3));
        }
    }

    /** Times one prefill product (X rounded to f16 first, timed apart) and prints its row; returns ms. */
    static double time(Cuda cuda, MatMul matMul, CudaStream stream, EventTimer timer, WeightType type, int tokens,
                               int rows, int cols) {
        long matrixBytes = type.rowBytes(cols) * rows;
        try (DeviceBuffer w = cuda.allocate(matrixBytes); DeviceBuffer x = cuda.allocate((long) tokens * cols * 4);
             DeviceBuffer xHalf = cuda.allocate(MatMul.halfBytes(tokens, cols));
             DeviceBuffer y = cuda.allocate((long) tokens * rows * 4); PinnedHostBuffer host = cuda.allocatePinned(matrixBytes);
             DeviceBuffer workspace = cuda.allocate(MatMul.SPLIT_WORKSPACE_BYTES)) {
            BenchWeights.fill(type, host.segment(), rows, cols, 7);
            w.copyFromHost(host.segment());
            try (PinnedHostBuffer xh = cuda.allocatePinned((long) tokens * cols * 4)) {
                for (long i = 0; i < (long) tokens * cols; i++) {
                    xh.segment().setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) Math.sin(i * 0.013));
                }
                x.copyFromHost(xh.segment());
            }
            // the f16 rounding of X is shared by the products of one input (q/k/v, gate/up): timed apart
            matMul.toHalf(x, tokens, cols, xHalf, stream);
            double ms = timer.medianMillis(2, 7,
                    () -> matMul.launchHalf(type, w, 0, rows, cols, xHalf, tokens, y, workspace, stream));
            MatMul.Plan plan = matMul.plan(type, rows, cols, tokens, true);
            double tflops = 2.0 * tokens * rows * cols / (ms * 1e-3) / 1e12;
            System.out.printf("%-6s %-18s %10s %10.3f %10.1f%n", type, tokens + "x" + rows + "x" + cols,
                    MatMul.TILE_ROWS + "x" + plan.tileTokens() + (plan.splits() > 1 ? "/" + plan.splits() + "k" : ""), ms,
                    tflops);
            return ms;
        }
    }
}
