package dev.pagoda.core.hybrid;

import dev.pagoda.core.backend.ComputeBackend;
import dev.pagoda.core.backend.KvCache;
import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.core.cpu.RowKernel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The device's backend with the host beside it: a single-token product whose matrix arrives with
 * fewer rows than the model's (the streamer copied only the device's share) runs those rows on the
 * device while host threads compute the remaining rows from the host copy of the whole matrix with
 * the same {@link RowKernel}; each side writes its own rows of the output, so nothing is joined but
 * the two completions. Every other call goes to the device unchanged.
 *
 * <p>Host work runs on virtual threads (nothing to start or stop); the compute thread waits for
 * them by parking, never by spinning.
 */
final class HybridBackend implements ComputeBackend {
    private static final Executor HOST = task -> Thread.ofVirtual().name("pagoda-hybrid-host").start(task);

    private final ComputeBackend device;
    /** The host's copy of every streamed matrix, by GGUF name. */
    private final Map<String, WeightTensor> host;
    private final int hostThreads;
    private final SplitController controller;

    HybridBackend(ComputeBackend device, Map<String, WeightTensor> host, int hostThreads, SplitController controller) {
        this.device = device;
        this.host = Map.copyOf(host);
        this.hostThreads = hostThreads;
        this.controller = controller;
    }

    @Override
    public String name() {
        return device.name() + " + host (" + hostThreads + " threads)";
    }

    @Override
    public void matmul(WeightTensor w, float[] x, int batch, float[] out) {
        WeightTensor whole = host.get(w.name());
        if (batch != 1 || whole == null || w.rows() == whole.rows()) {
            device.matmul(w, x, batch, out);
            return;
        }
        int split = w.rows();
        int rows = whole.rows();
        int cols = whole.cols();
        long rowBytes = whole.rowBytes();
        RowKernel kernel = RowKernel.of(whole.type());
        int parts = Math.max(1, Math.min(hostThreads, rows - split));
        @SuppressWarnings("unchecked")
        CompletableFuture<Long>[] hostParts = new CompletableFuture[parts];
        for (int p = 0; p < parts; p++) {
            int from = split + (int) ((long) (rows - split) * p / parts);
            int to = split + (int) ((long) (rows - split) * (p + 1) / parts);
            hostParts[p] = CompletableFuture.supplyAsync(() -> {
                long t0 = System.nanoTime();
                for (int r = from; r < to; r++) {
                    out[r] = kernel.dot(whole.data(), r * rowBytes, x, 0, cols);
                }
                return System.nanoTime() - t0;
            }, HOST);
        }
        long t0 = System.nanoTime();
        if (split > 0) {
            device.matmul(w, x, 1, out);
        }
        long deviceNanos = System.nanoTime() - t0;
        long hostNanos = 0;
        for (CompletableFuture<Long> part : hostParts) {
            hostNanos = Math.max(hostNanos, part.join());
        }
        controller.observe(whole.type(), (rows - split) * rowBytes, hostNanos, split * rowBytes, deviceNanos);
    }

    @Override
    public void getRows(WeightTensor table, int[] ids, int from, int count, float[] out) {
        device.getRows(table, ids, from, count, out);
    }

    @Override
    public void rmsNorm(float[] x, float[] weight, float eps, int batch, float[] out) {
        device.rmsNorm(x, weight, eps, batch, out);
    }

    @Override
    public void rope(float[] x, int batch, int heads, int headWidth, int ropeHalf, float[] cos, float[] sin) {
        device.rope(x, batch, heads, headWidth, ropeHalf, cos, sin);
    }

    @Override
    public void attention(KvCache cache, int layer, float[] q, float[] k, float[] v, int batch, int startPos,
            int heads, int kvHeads, int keyWidth, int valueWidth, float scale, float[] out) {
        device.attention(cache, layer, q, k, v, batch, startPos, heads, kvHeads, keyWidth, valueWidth, scale, out);
    }

    @Override
    public void swiglu(float[] gate, float[] up, int n) {
        device.swiglu(gate, up, n);
    }

    @Override
    public void add(float[] acc, float[] x, int n) {
        device.add(acc, x, n);
    }

    /** The device backend belongs to its owner; the host side holds nothing to free. */
    @Override
    public void close() {
    }
}
