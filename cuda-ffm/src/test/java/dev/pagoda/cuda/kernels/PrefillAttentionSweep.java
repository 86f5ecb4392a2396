package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;

/**
 * A tuning experiment, not a test: a batch's causal attention through the general kernel (split spans,
 * float32) and through the tensor-core kernel, per layer in a graph of several layers' caches, for batch
 * sizes from 2 to 512 tokens at start positions 0 to 4096, at the Llama-3.1-8B (32 heads, 8 kv) and 70B
 * (64 heads, 8 kv) shapes, head width 128; and the 3.2-1B shape (32 heads, 8 kv, width 64). Prints
 * microseconds per layer and the kernel {@link Attention#launch} picks (marked {@code *}).
 * Run on the GPU host: {@code java -cp pagoda-cuda-ffm.jar:pagoda-cuda-ffm-tests.jar dev.pagoda.cuda.kernels.PrefillAttentionSweep}.
 */
public final class PrefillAttentionSweep {
    private static final int LAYERS = 8;

    private PrefillAttentionSweep() {
    }

    public static void main(String[] args) {
        try (Cuda cuda = Cuda.open(); CudaStream stream = cuda.createStream(); Attention attention = new Attention(cuda)) {
            System.out.printf("device: %s, %d SMs%n", cuda.deviceName(), cuda.multiprocessorCount());
            System.out.printf("%-12s %7s %6s %12s %12s %8s%n", "heads/kv/dim", "tokens", "start", "general us",
                    "tensor us", "speedup");
            for (int[] shape : new int[][] {{32, 8, 128}, {64, 8, 128}, {32, 8, 64}}) {
                for (int[] batch : new int[][] {{2, 0}, {8, 0}, {16, 0}, {16, 4096}, {32, 4096}, {64, 0}, {64, 4096},
                        {128, 0}, {512, 0}, {512, 1536}, {512, 4096}}) {
                    sweep(cuda, stream, attention, shape[0], shape[1], shape[2], batch[0], batch[1]);
                }
            }
        }
    }

    private static void sweep(Cuda cuda, CudaStream stream, Attention attention, int heads, int kvHeads, int headDim,
                              int tokens, int startPos) {
        int maxEnd = startPos + tokens;
        long cacheBytes = (long) maxEnd * kvHeads * headDim * 2;
        DeviceBuffer[] caches = new DeviceBuffer[2 * LAYERS];
        try (DeviceBuffer q = cuda.allocate(4L * tokens * heads * headDim);
                DeviceBuffer out = cuda.allocate(4L * tokens * heads * headDim);
                DeviceBuffer work = cuda.allocate(Attention.workspaceBytes(tokens, heads, headDim));
                DeviceBuffer position = cuda.allocate(4)) {
            q.fill32(Float.floatToIntBits(0.01f));
            position.fill32(startPos);
            for (int i = 0; i < caches.length; i++) {
                caches[i] = cuda.allocate(cacheBytes);
                caches[i].fill32(0x3c003c00);
            }
            float scale = (float) (1 / Math.sqrt(headDim));
            double general = GraphReplayTiming.microsPerLaunch(cuda, stream, LAYERS, l -> attention.launchGeneral(q,
                    caches[2 * l], caches[2 * l + 1], work, out, tokens, heads, kvHeads, headDim, position, maxEnd, scale,
                    stream));
            double tensor = GraphReplayTiming.microsPerLaunch(cuda, stream, LAYERS, l -> attention.launchPrefill(q,
                    caches[2 * l], caches[2 * l + 1], out, tokens, heads, kvHeads, headDim, position, maxEnd, scale, stream));
            boolean picked = Attention.prefillKernelFits(tokens, headDim, q, caches[0], caches[1], out);
            System.out.printf("%-12s %7d %6d %11.1f%s %11.1f%s %7.2fx%n", heads + "/" + kvHeads + "/" + headDim, tokens,
                    startPos, general, picked ? " " : "*", tensor, picked ? "*" : " ", general / tensor);
        } finally {
            for (DeviceBuffer c : caches) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }
}
