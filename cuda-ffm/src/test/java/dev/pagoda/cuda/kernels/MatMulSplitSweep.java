package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;

/**
 * A tuning experiment, not a test: the prefill product at 512 tokens on the Llama-3.1-8B and 70B matrix
 * shapes (q/o, k/v, gate/up, down) in Q4_K and Q6_K, with each tiling (64 or 128 tokens per block) and 1
 * to 4 k splits; microseconds per product (the split sum included) and TFLOP/s, the plan
 * {@link MatMul#plan} picks marked {@code *}. Weights are a constant byte pattern (the rate does not
 * depend on the values).
 * Run on the GPU host: {@code java -cp pagoda-cuda-ffm.jar:pagoda-cuda-ffm-tests.jar dev.pagoda.cuda.kernels.MatMulSplitSweep}.
 */
public final class MatMulSplitSweep {
    private static final int TOKENS = 512;

    private MatMulSplitSweep() {
    }

    public static void main(String[] args) {
        int[][] shapes = {{1024, 4096}, {4096, 4096}, {14336, 4096}, {4096, 14336}, {1024, 8192}, {8192, 8192},
                {28672, 8192}, {8192, 28672}};
        MatMul.Plan[] plans = {new MatMul.Plan(64, 1), new MatMul.Plan(64, 2), new MatMul.Plan(64, 4),
                new MatMul.Plan(128, 1), new MatMul.Plan(128, 2), new MatMul.Plan(128, 3), new MatMul.Plan(128, 4)};
        try (Cuda cuda = Cuda.open(); CudaStream stream = cuda.createStream(); MatMul matMul = new MatMul(cuda);
                DeviceBuffer workspace = cuda.allocate(MatMul.SPLIT_WORKSPACE_BYTES)) {
            System.out.printf("device: %s, %d SMs; %d tokens; us per product (TFLOP/s), * = MatMul.plan%n",
                    cuda.deviceName(), cuda.multiprocessorCount(), TOKENS);
            StringBuilder header = new StringBuilder(String.format("%-5s %-12s", "type", "rows x cols"));
            for (MatMul.Plan p : plans) {
                header.append(String.format(" %15s", p.tileTokens() + "t/" + p.splits() + "s"));
            }
            System.out.println(header);
            for (WeightType type : new WeightType[] {WeightType.Q4_K, WeightType.Q6_K}) {
                for (int[] shape : shapes) {
                    int rows = shape[0];
                    int cols = shape[1];
                    MatMul.Plan chosen = matMul.plan(type, rows, cols, TOKENS, true);
                    StringBuilder line = new StringBuilder(String.format("%-5s %-12s", type, rows + "x" + cols));
                    try (DeviceBuffer w = cuda.allocate(type.rowBytes(cols) * rows);
                         DeviceBuffer xHalf = cuda.allocate(MatMul.halfBytes(TOKENS, cols));
                         DeviceBuffer y = cuda.allocate(4L * TOKENS * rows)) {
                        w.fill32(0x11111111);
                        xHalf.fill32(0x3c003c00);
                        for (MatMul.Plan p : plans) {
                            if (p.splits() > 1 && (long) p.splits() * TOKENS * rows * Float.BYTES > MatMul.SPLIT_WORKSPACE_BYTES) {
                                line.append(String.format(" %15s", "-"));
                                continue;
                            }
                            double us = GraphReplayTiming.microsPerLaunch(cuda, stream, 4, i -> matMul.launchHalf(type, w,
                                    0, rows, cols, xHalf, TOKENS, y, workspace, p, stream));
                            double tflops = 2.0 * TOKENS * rows * cols / (us * 1e-6) / 1e12;
                            line.append(String.format(" %8.1f (%3.0f)%s", us, tflops, p.equals(chosen) ? "*" : " "));
                        }
                    }
                    System.out.println(line);
                }
            }
        }
    }
}
