package dev.pagoda.core.cuda;

import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaLoader;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaEvent;
import dev.pagoda.cuda.CudaGraph;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.kernels.MatVecInput;
import dev.pagoda.gguf.GgufFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Where one prefill batch's time goes on the GPU (a measuring tool, not a test; run from the device
 * distribution): (a) the whole batch forward (tokens at positions 0..batch-1, last row's logits),
 * launched directly; (b) each op of the batch's layers captured alone over all layers (each layer's own
 * weights) and replayed, with its share of the sum. Times are event medians after warm-up; TFLOP/s for
 * the products counts 2 x tokens x rows x cols.
 *
 * <p>Usage: {@code PrefillProfile model.gguf [batch=512]}
 */
public final class PrefillProfile {
    private static final int REPEATS = 9;

    private PrefillProfile() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        try (GgufFile file = GgufFile.open(path)) {
            LlamaLoader.Loaded loaded = LlamaLoader.load(file);
            LlamaConfig c = loaded.config();
            try (Cuda cuda = Cuda.open(); CudaKernels kernels = new CudaKernels(cuda, MatVecInput.FLOAT32);
                 ResidentWeights weights = ResidentWeights.upload(cuda, loaded.weights());
                 CudaActivations a = new CudaActivations(cuda, c, batch);
                 DeviceKvCache cache = new DeviceKvCache(cuda, c, batch);
                 CudaStream s = cuda.createStream(); CudaEvent start = cuda.createEvent();
                 CudaEvent end = cuda.createEvent(); Arena arena = Arena.ofConfined()) {
                CudaLlamaGraph graph = new CudaLlamaGraph(c, kernels, weights, weights);
                MemorySegment ids = arena.allocate(ValueLayout.JAVA_INT, batch);
                MemorySegment positions = arena.allocate(ValueLayout.JAVA_INT, batch);
                for (int i = 0; i < batch; i++) {
                    ids.setAtIndex(ValueLayout.JAVA_INT, i, 1 + i % 1000);
                    positions.setAtIndex(ValueLayout.JAVA_INT, i, i);
                }
                a.tokens.copyFromHost(ids);
                a.positions.copyFromHost(positions);
                int layers = c.blockCount();
                System.out.printf("prefill profile  %s, %d layers, %d tokens at positions 0..%d, %s%n",
                        path.getFileName(), layers, batch, batch - 1, cuda.deviceName());
                double forwardMs = median(s, start, end, () -> graph.forward(a, cache, batch, batch, null, s));
                System.out.printf("(a) batch forward %8.3f ms = %.0f tok/s%n", forwardMs, batch / (forwardMs * 1e-3));

                double sum = 0;
                Map<String, Double> times = new LinkedHashMap<>();
                Map<String, Double> flops = new LinkedHashMap<>();
                for (Map.Entry<String, Op> op : ops(c, kernels, weights, graph, a, cache, batch, s).entrySet()) {
                    boolean perLayer = !op.getKey().startsWith("head ");
                    s.beginCapture();
                    double opFlops = 0;
                    for (int l = 0; l < (perLayer ? layers : 1); l++) {
                        op.getValue().run().accept(l);
                        opFlops += op.getValue().flops();
                    }
                    try (CudaGraph g = s.endCapture()) {
                        double ms = median(s, start, end, () -> g.launch(s));
                        times.put(op.getKey(), ms);
                        flops.put(op.getKey(), opFlops);
                        sum += ms;
                    }
                }
                System.out.printf("(b) %-28s %10s %8s %9s%n", "op (all layers, graph)", "ms/batch", "share", "TFLOP/s");
                for (Map.Entry<String, Double> t : times.entrySet()) {
                    double f = flops.get(t.getKey());
                    System.out.printf("    %-28s %10.3f %7.1f%% %9s%n", t.getKey(), t.getValue(), 100 * t.getValue() / sum,
                            f > 0 ? String.format("%.0f", f / (t.getValue() * 1e-3) / 1e12) : "");
                }
                System.out.printf("    %-28s %10.3f   (batch forward %.3f ms)%n", "sum of ops", sum, forwardMs);
            }
        }
    }

    /** One op of a layer (the head ops ignore the layer) and its flops per layer (0 for non-products). */
    private record Op(IntConsumer run, double flops) {
    }

    private static Map<String, Op> ops(LlamaConfig c, CudaKernels k, ResidentWeights w, CudaLlamaGraph graph,
                                        CudaActivations a, DeviceKvCache cache, int batch, CudaStream s) {
        Map<String, Op> ops = new LinkedHashMap<>();
        int n = c.embeddingLength();
        ops.put("rmsnorm x2", new Op(l -> {
            k.rmsNorm.launch(a.x, w.acquire(l, s).attnNorm(), a.xb, batch, n, c.rmsNormEps(), s);
            k.rmsNorm.launch(a.x, w.acquire(l, s).ffnNorm(), a.xb, batch, n, c.rmsNormEps(), s);
        }, 0));
        ops.put("to f16 x4", new Op(l -> {
            k.matMul.toHalf(a.xb, batch, n, a.xHalf, s);
            k.matMul.toHalf(a.attn, batch, c.headCount() * c.valueLength(), a.xHalf, s);
            k.matMul.toHalf(a.xb, batch, n, a.xHalf, s);
            k.matMul.toHalf(a.hb, batch, c.feedForwardLength(), a.xHalf, s);
        }, 0));
        ops.put("matmul attn_q", product(k, batch, s, a, l -> w.acquire(l, s).attnQ(), a.q));
        ops.put("matmul attn_k", product(k, batch, s, a, l -> w.acquire(l, s).attnK(), a.k));
        ops.put("matmul attn_v", product(k, batch, s, a, l -> w.acquire(l, s).attnV(), a.v));
        ops.put("rope q, k", new Op(l -> {
            if (w.ropeFreqs() == null) {
                k.rope.launch(a.q, a.positions, batch, c.headCount(), c.keyLength(), c.ropeFreqBase(), s);
                k.rope.launch(a.k, a.positions, batch, c.headCountKv(), c.keyLength(), c.ropeFreqBase(), s);
            } else {
                k.rope.launch(a.q, a.positions, w.ropeFreqs(), batch, c.headCount(), c.keyLength(), c.ropeFreqBase(), s);
                k.rope.launch(a.k, a.positions, w.ropeFreqs(), batch, c.headCountKv(), c.keyLength(), c.ropeFreqBase(), s);
            }
        }, 0));
        // causal attention over positions 0..t for token t: ~2 x 2 x headDim x heads x batch^2 / 2 flops
        ops.put("kv_store + attention", new Op(l -> graph.attend(a, cache, l, batch, batch, s),
                2.0 * c.keyLength() * c.headCount() * batch * (batch + 1.0)));
        ops.put("matmul attn_output", product(k, batch, s, a, l -> w.acquire(l, s).attnOutput(), a.xb));
        ops.put("add x2", new Op(l -> {
            k.add.launch(a.x, a.xb, a.hb2, (long) batch * n, s);
            k.add.launch(a.x, a.xb, a.hb2, (long) batch * n, s);
        }, 0));
        ops.put("matmul ffn_gate", product(k, batch, s, a, l -> w.acquire(l, s).ffnGate(), a.hb));
        ops.put("matmul ffn_up", product(k, batch, s, a, l -> w.acquire(l, s).ffnUp(), a.hb2));
        ops.put("swiglu", new Op(l -> k.swiGlu.launch(a.hb, a.hb2, a.hb, (long) batch * c.feedForwardLength(), s), 0));
        ops.put("matmul ffn_down", product(k, batch, s, a, l -> w.acquire(l, s).ffnDown(), a.xb));
        ops.put("head embedding", new Op(l -> graph.embed(a, batch, s), 0));
        ops.put("head last row norm + output", new Op(l -> graph.head(a, batch, null, false, s), 0));
        return ops;
    }

    private interface Matrix {
        DeviceTensor of(int layer);
    }

    // the product as the batch runs it, on whatever a.xHalf holds (its cost does not depend on the values)
    private static Op product(CudaKernels k, int batch, CudaStream s, CudaActivations a,
                              Matrix m, DeviceBuffer y) {
        DeviceTensor t0 = m.of(0);
        return new Op(l -> {
            DeviceTensor t = m.of(l);
            k.matMul.launchHalf(t.type(), t.data(), 0, t.rows(), t.cols(), a.xHalf, batch, y, a.workspace, s);
        }, 2.0 * batch * t0.rows() * t0.cols());
    }

    private static double median(CudaStream s, CudaEvent start, CudaEvent end, Runnable work) {
        return EventMedian.millis(s, start, end, 2, REPEATS, work);
    }
}
