package dev.pagoda.bench.cpu;

import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.backend.KvCache;
import dev.pagoda.core.cpu.CpuBackend;
import dev.pagoda.core.cpu.ReadBandwidth;
import dev.pagoda.core.cpu.WorkerPool;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaForward;
import dev.pagoda.core.llama.LlamaGraph;
import dev.pagoda.core.llama.LlamaWeights;
import java.lang.foreign.Arena;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * End-to-end CPU forward-pass speed on a Llama-3.2-1B-shaped model with random weights:
 * prefill tokens/s, decode tokens/s, and decode's weight-read rate against measured memory
 * read bandwidth (decode reads every weight byte once per token, so bandwidth is its bound).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * benchmarks/target/benchmarks.jar dev.pagoda.bench.cpu.CpuForwardBench [--mix Q8_0|Q4_K_M|F16]
 * [-p 64] [-n 32] [--threads T]}
 */
public final class CpuForwardBench {
    private CpuForwardBench() {}

    public static void main(String[] args) {
        SyntheticLlama.Mix mix = SyntheticLlama.Mix.Q4_K_M;
        int prompt = 64;
        int decode = 32;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mix" -> mix = SyntheticLlama.Mix.valueOf(args[++i]);
                case "-p" -> prompt = Integer.parseInt(args[++i]);
                case "-n" -> decode = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --mix Q8_0|Q4_K_M|F16, -p N, -n N, --threads T)");
            }
        }
        LlamaConfig c = SyntheticLlama.llama32_1b();
        try (Arena arena = Arena.ofShared(); CpuBackend backend = new CpuBackend(threads)) {
            long t0 = System.nanoTime();
            LlamaWeights w = SyntheticLlama.weights(c, mix, arena, 1234);
            System.out.printf(Locale.ROOT, "Llama-3.2-1B shape, %s, %.2f GB of weights read per token, built in %.1f s, %s%n",
                    mix, w.bytesPerToken() / 1e9, (System.nanoTime() - t0) * 1e-9, backend.name());
            LlamaGraph graph = new LlamaGraph(c, w, backend);
            LlamaForward forward = new LlamaForward(graph, prompt);
            KvCache cache = new KvCache(c.blockCount(), prompt + decode, c.keyWidth(), c.valueWidth(), KvCacheType.F32);
            SplittableRandom rnd = new SplittableRandom(7);
            int[] tokens = new int[prompt + decode];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = rnd.nextInt(c.vocabSize());
            }
            float[] logits = new float[c.vocabSize()];

            // warm-up: compile the kernels on a short prefill and a few decode steps
            forward.forward(cache, tokens, 0, Math.min(8, prompt), 0, logits, false);
            for (int i = 0; i < 3; i++) {
                forward.forward(cache, tokens, 8 + i, 1, 8 + i, logits, false);
            }

            long p0 = System.nanoTime();
            forward.forward(cache, tokens, 0, prompt, 0, logits, false);
            double prefillSec = (System.nanoTime() - p0) * 1e-9;
            long d0 = System.nanoTime();
            for (int i = 0; i < decode; i++) {
                forward.forward(cache, tokens, prompt + i, 1, prompt + i, logits, false);
            }
            double decodeSec = (System.nanoTime() - d0) * 1e-9;

            double bandwidth;
            try (WorkerPool pool = new WorkerPool(threads)) {
                bandwidth = ReadBandwidth.measure(pool, 1L << 30, 3);
            }
            double decodeRate = decode / decodeSec;
            double readRate = w.bytesPerToken() * decodeRate;
            System.out.printf(Locale.ROOT, "prefill %d tokens: %.2f tok/s%n", prompt, prompt / prefillSec);
            System.out.printf(Locale.ROOT, "decode %d tokens: %.2f tok/s, weights read at %.2f GB/s%n",
                    decode, decodeRate, readRate / 1e9);
            System.out.printf(Locale.ROOT, "memory read bandwidth (%d threads): %.2f GB/s; decode reaches %.0f%% of it%n",
                    threads, bandwidth / 1e9, 100 * readRate / bandwidth);
        }
    }
}
