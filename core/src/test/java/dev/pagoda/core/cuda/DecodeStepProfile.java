package dev.pagoda.core.cuda;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Model;
import dev.pagoda.core.Session;
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
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Where one decode step's time goes on the GPU (a measuring tool, not a test; run from the device
 * distribution): (a) one replay of the captured step, and the same step launched kernel by kernel;
 * (b) each op of the step captured alone over all layers (each layer's own weights, so the L2 holds
 * none of them) and replayed, their sum; (c) wall time per token through {@link Session#feedArgmax},
 * whose excess over (a) is the host's share, and (d) the replay with the host waiting for each step
 * (launch and wake-up latency). Times are event medians after warm-up.
 *
 * <p>Usage: {@code DecodeStepProfile model.gguf [position=576] [context=640]}
 */
public final class DecodeStepProfile {
    private static final int REPEATS = 30;

    private DecodeStepProfile() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int position = args.length > 1 ? Integer.parseInt(args[1]) : 576;
        int context = args.length > 2 ? Integer.parseInt(args[2]) : 640;
        // the decode matvec input: INT16 (the default), INT8 (--activations int8) or FLOAT32
        MatVecInput input = MatVecInput.valueOf(args.length > 3 ? args[3] : "INT16");
        double stepMs;
        double syncedMs;
        try (GgufFile file = GgufFile.open(path)) {
            LlamaLoader.Loaded loaded = LlamaLoader.load(file);
            LlamaConfig c = loaded.config();
            try (Cuda cuda = Cuda.open(); CudaKernels kernels = new CudaKernels(cuda, input);
                 ResidentWeights weights = ResidentWeights.upload(cuda, loaded.weights());
                 CudaActivations a = new CudaActivations(cuda, c, 1);
                 DeviceKvCache cache = new DeviceKvCache(cuda, c, context);
                 CudaStream s = cuda.createStream(); CudaEvent start = cuda.createEvent();
                 CudaEvent end = cuda.createEvent(); Arena arena = Arena.ofConfined()) {
                CudaLlamaGraph graph = new CudaLlamaGraph(c, kernels, weights, weights);
                a.tokens.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_INT, 1));
                a.positions.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_INT, position));
                int layers = c.blockCount();
                System.out.printf("profile  %s, %d layers, position %d of a %d context, %s, %s x%n", path.getFileName(),
                        layers, position, context, cuda.deviceName(), input);
                System.out.printf("launches per token: %d kernels (18 per layer + embedding, norm, output, argmax)%n",
                        18 * layers + 4);

                Runnable step = () -> {
                    graph.forward(a, cache, 1, context, null, s);
                    graph.argmax(a, s);
                };
                s.beginCapture();
                step.run();
                try (CudaGraph captured = s.endCapture()) {
                    stepMs = median(s, start, end, () -> captured.launch(s));
                    // (d) what a token costs when the host waits for each step: replay + synchronize
                    long t1 = System.nanoTime();
                    for (int i = 0; i < REPEATS; i++) {
                        captured.launch(s);
                        s.synchronize();
                    }
                    syncedMs = (System.nanoTime() - t1) / 1e6 / REPEATS;
                }
                double directMs = median(s, start, end, step);
                long t0 = System.nanoTime();
                for (int i = 0; i < REPEATS; i++) {
                    step.run();
                }
                double queueMs = (System.nanoTime() - t0) / 1e6 / REPEATS;
                s.synchronize();
                System.out.printf("(a) captured step replay %8.3f ms   launched directly %8.3f ms   host queueing it %8.3f ms%n",
                        stepMs, directMs, queueMs);

                Map<String, IntConsumer> ops = ops(c, kernels, weights, graph, a, cache, context, s);
                double sum = 0;
                System.out.printf("(b) %-28s %10s %8s%n", "op (all layers, graph)", "ms/token", "share");
                Map<String, Double> times = new LinkedHashMap<>();
                for (Map.Entry<String, IntConsumer> op : ops.entrySet()) {
                    boolean perLayer = !op.getKey().startsWith("head ");
                    s.beginCapture();
                    for (int l = 0; l < (perLayer ? layers : 1); l++) {
                        op.getValue().accept(l);
                    }
                    try (CudaGraph g = s.endCapture()) {
                        double ms = median(s, start, end, () -> g.launch(s));
                        times.put(op.getKey(), ms);
                        if (!op.getKey().startsWith("fused: ")) {
                            sum += ms;  // the fused ops are the same work again, timed for comparison
                        }
                    }
                }
                for (Map.Entry<String, Double> t : times.entrySet()) {
                    System.out.printf("    %-28s %10.3f %7.1f%%%n", t.getKey(), t.getValue(), 100 * t.getValue() / sum);
                }
                System.out.printf("    %-28s %10.3f   (unfused ops; step replay %.3f ms)%n", "sum of ops", sum, stepMs);
            }
        }
        System.out.printf("(d) replay + synchronize %8.3f ms/token%n", syncedMs);
        try (Model model = Model.builder(path).backend(Backend.CUDA).activations(input)
                .contextLength(context).open();
             Session session = model.newSession()) {
            session.feedArgmax(new int[position]);
            int next = 1;
            for (int i = 0; i < 8; i++) {
                next = session.feedArgmax(next);
            }
            int tokens = Math.min(48, context - session.position());
            long t0 = System.nanoTime();
            for (int i = 0; i < tokens; i++) {
                next = session.feedArgmax(next);
            }
            double wallMs = (System.nanoTime() - t0) / 1e6 / tokens;
            System.out.printf("(c) feedArgmax wall %8.3f ms/token (%.1f tok/s); host + sync beyond the replay %8.3f ms%n",
                    wallMs, 1000 / wallMs, wallMs - stepMs);
        }
    }

    /** Each op of the step as the graph queues it, for layer l (the head ops ignore l). */
    private static Map<String, IntConsumer> ops(LlamaConfig c, CudaKernels k, ResidentWeights w, CudaLlamaGraph graph,
                                                CudaActivations a, DeviceKvCache cache, int context, CudaStream s) {
        Map<String, IntConsumer> ops = new LinkedHashMap<>();
        int n = c.embeddingLength();
        ops.put("rmsnorm x2", l -> {
            k.rmsNorm.launch(a.x, w.acquire(l, s).attnNorm(), a.xb, 1, n, c.rmsNormEps(), s);
            k.rmsNorm.launch(a.x, w.acquire(l, s).ffnNorm(), a.xb, 1, n, c.rmsNormEps(), s);
        });
        ops.put("matvec attn_q", l -> matVec(k, w.acquire(l, s).attnQ(), a.xb, a.q, s));
        ops.put("matvec attn_k", l -> matVec(k, w.acquire(l, s).attnK(), a.xb, a.k, s));
        ops.put("matvec attn_v", l -> matVec(k, w.acquire(l, s).attnV(), a.xb, a.v, s));
        ops.put("rope q, k", l -> {
            rope(c, k, w, a.q, c.headCount(), a.positions, s);
            rope(c, k, w, a.k, c.headCountKv(), a.positions, s);
        });
        ops.put("kv_store + attention", l -> graph.attend(a, cache, l, 1, context, s));
        ops.put("matvec attn_output", l -> matVec(k, w.acquire(l, s).attnOutput(), a.attn, a.xb, s));
        ops.put("add x2", l -> {
            k.add.launch(a.x, a.xb, a.hb2, n, s);
            k.add.launch(a.x, a.xb, a.hb2, n, s);
        });
        ops.put("matvec ffn_gate", l -> matVec(k, w.acquire(l, s).ffnGate(), a.xb, a.hb, s));
        ops.put("matvec ffn_up", l -> matVec(k, w.acquire(l, s).ffnUp(), a.xb, a.hb2, s));
        ops.put("swiglu", l -> k.swiGlu.launch(a.hb, a.hb2, a.hb, c.feedForwardLength(), s));
        ops.put("matvec ffn_down", l -> matVec(k, w.acquire(l, s).ffnDown(), a.hb, a.xb, s));
        // the fused one-token path's launches (what the captured step runs when every layer is fusable)
        ops.put("fused: add_rmsnorm + q/k/v", l -> graph.fusedAttentionInputs(a, cache, l, true, s));
        ops.put("fused: rope_qk_store + attention", l -> graph.fusedAttend(a, cache, l, context, false, s));
        ops.put("fused: o, add_rmsnorm, gate/up, swiglu, down", l -> graph.fusedAttentionOutputAndFeedForward(a, l, false, s));
        ops.put("head embedding", l -> graph.embed(a, 1, s));
        ops.put("head norm + output matvec", l -> graph.head(a, 1, null, false, s));
        ops.put("head argmax", l -> graph.argmax(a, s));
        return ops;
    }

    private static void rope(LlamaConfig c, CudaKernels k, ResidentWeights w, DeviceBuffer x, int heads,
                             DeviceBuffer positions, CudaStream s) {
        if (w.ropeFreqs() == null) {
            k.rope.launch(x, positions, 1, heads, c.keyLength(), c.ropeFreqBase(), s);
        } else {
            k.rope.launch(x, positions, w.ropeFreqs(), 1, heads, c.keyLength(), c.ropeFreqBase(), s);
        }
    }

    private static void matVec(CudaKernels k, DeviceTensor t, DeviceBuffer x, DeviceBuffer y, CudaStream s) {
        k.matVec.launch(t.type(), t.data(), 0, t.rows(), t.cols(), x, y, s);
    }

    private static double median(CudaStream s, CudaEvent start, CudaEvent end, Runnable work) {
        return EventMedian.millis(s, start, end, 5, REPEATS, work);
    }
}
