package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;

/**
 * A tuning experiment, not a test: where one token's attention spends its time at the 8B shape (32
 * heads, 8 kv heads, width 128). For each length it times, per layer in a graph of 32 layers' caches,
 * the partial kernel alone, the combine alone and both, at several split counts beside the one
 * {@link Attention#decodeSplits} picks (marked {@code *}); and a 4096-float {@link Add} as the floor one
 * small dependent kernel costs in a graph.
 * Run on the GPU host: {@code java -cp pagoda-cuda-ffm.jar:pagoda-cuda-ffm-tests.jar dev.pagoda.cuda.kernels.DecodeAttentionSweep}.
 */
public final class DecodeAttentionSweep {
    private static final int HEADS = 32;
    private static final int KV_HEADS = 8;
    private static final int HEAD_DIM = 128;
    private static final int LAYERS = 32;

    private DecodeAttentionSweep() {
    }

    public static void main(String[] args) {
        try (Cuda cuda = Cuda.open(); CudaStream stream = cuda.createStream(); Attention attention = new Attention(cuda);
                Add add = new Add(cuda)) {
            System.out.printf("device: %s, %d SMs%n", cuda.deviceName(), cuda.multiprocessorCount());
            try (DeviceBuffer a = cuda.allocate(4 * 4096); DeviceBuffer b = cuda.allocate(4 * 4096)) {
                a.fill32(0);
                b.fill32(0);
                double us = GraphReplayTiming.microsPerLaunch(cuda, stream, LAYERS, l -> add.launch(a, b, a, 4096, stream));
                System.out.printf("floor: add of 4096 floats, dependent, in a graph: %.2f us per kernel%n", us);
            }
            System.out.printf("%-10s %6s %7s %9s %9s %9s%n", "seq/ctx", "splits", "minSpan", "partial", "combine", "both");
            for (int[] len : new int[][] {{577, 640}, {1000, 4096}, {4096, 4096}, {16384, 16384}}) {
                sweep(cuda, stream, attention, len[0], len[1]);
            }
        }
    }

    private static void sweep(Cuda cuda, CudaStream stream, Attention attention, int sequence, int maxEnd) {
        long cacheBytes = (long) maxEnd * KV_HEADS * HEAD_DIM * 2;
        DeviceBuffer[] caches = new DeviceBuffer[2 * LAYERS];
        try (DeviceBuffer q = cuda.allocate(4L * HEADS * HEAD_DIM); DeviceBuffer out = cuda.allocate(4L * HEADS * HEAD_DIM);
                DeviceBuffer work = cuda.allocate(Attention.workspaceBytes(1, HEADS, HEAD_DIM));
                DeviceBuffer position = cuda.allocate(4)) {
            q.fill32(Float.floatToIntBits(0.01f));
            position.fill32(sequence - 1);
            for (int i = 0; i < caches.length; i++) {
                caches[i] = cuda.allocate(cacheBytes);
                caches[i].fill32(0x3c003c00);
            }
            float scale = (float) (1 / Math.sqrt(HEAD_DIM));
            int chosen = Attention.decodeSplits(maxEnd, KV_HEADS);
            int[][] variants = {{chosen, Attention.DECODE_MIN_SPAN}, {1, 1}, {2, 1}, {4, 1}, {8, 1}, {16, 1}, {32, 1},
                    {64, 1}};
            for (int[] v : variants) {
                int splits = v[0];
                int minSpan = v[1];
                double[] us = new double[3];
                for (int part = 0; part < 3; part++) {
                    boolean partials = part != 1;
                    boolean combine = part != 0;
                    us[part] = GraphReplayTiming.microsPerLaunch(cuda, stream, LAYERS, l -> attention.launchDecodeParts(q, caches[2 * l],
                            caches[2 * l + 1], work, out, HEADS, KV_HEADS, HEAD_DIM, position, maxEnd, scale, splits,
                            minSpan, partials, combine, stream));
                }
                System.out.printf("%-10s %6d %7d %9.2f %9.2f %9.2f%s%n", sequence + "/" + maxEnd, splits, minSpan, us[0],
                        us[1], us[2], v == variants[0] ? " *" : "");
            }
        } finally {
            for (DeviceBuffer c : caches) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }
}
