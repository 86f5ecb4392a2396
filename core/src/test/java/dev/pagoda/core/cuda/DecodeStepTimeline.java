package dev.pagoda.core.cuda;

import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaLoader;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaEvent;
import dev.pagoda.cuda.CudaGraph;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.kernels.MatVecInput;
import dev.pagoda.cuda.kernels.RingTrace;
import dev.pagoda.gguf.GgufFile;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the captured decode step's time goes between its ring matvecs (a measuring tool, not a test; run from the
 * device distribution): the step is captured as the forward pass captures it (programmatic launches on compute
 * capability 9.0), with every ring launch stamping the global timer ({@link RingTrace}): when its blocks became
 * resident, when its programmatic wait returned (its input ready), when its last block ended. Per kind of launch,
 * averaged over replays: the time its blocks sat resident before the wait, its run from the wait to its end and the
 * rate of its weight bytes over that run, and the chain before it (the previous ring launch's end to this one's wait:
 * the small kernels between them and two kernel boundaries); and block 0's run in parts: staging x, waiting for its
 * first chunk of weights, streaming the rest, and the other blocks' tail after it. The host has no Nsight Systems.
 *
 * <p>Usage: {@code DecodeStepTimeline model.gguf [position=576] [context=640] [replays=40]}
 */
public final class DecodeStepTimeline {
    private DecodeStepTimeline() {
    }

    private static final class Sums {
        int count;
        long bytes;
        double resident;
        double run;
        double chain;
        double stage;      // block 0: wait -> x staged
        double firstChunk; // block 0: x staged -> its first chunk of weights in hand
        double stream;     // block 0: first chunk -> its end
        double tail;       // block 0's end -> the last block's end
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int position = args.length > 1 ? Integer.parseInt(args[1]) : 576;
        int context = args.length > 2 ? Integer.parseInt(args[2]) : 640;
        int replays = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        try (GgufFile file = GgufFile.open(path)) {
            LlamaLoader.Loaded loaded = LlamaLoader.load(file);
            LlamaConfig c = loaded.config();
            try (Cuda cuda = Cuda.open(); CudaKernels kernels = new CudaKernels(cuda, MatVecInput.INT16);
                 ResidentWeights weights = ResidentWeights.upload(cuda, loaded.weights());
                 CudaActivations a = new CudaActivations(cuda, c, 1);
                 DeviceKvCache cache = new DeviceKvCache(cuda, c, context);
                 CudaStream s = cuda.createStream(); CudaEvent start = cuda.createEvent();
                 CudaEvent end = cuda.createEvent(); Arena arena = Arena.ofConfined();
                 RingTrace trace = RingTrace.open(cuda, 8 * c.blockCount() + 8)) {
                CudaLlamaGraph graph = new CudaLlamaGraph(c, kernels, weights, weights);
                a.tokens.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_INT, 1));
                a.positions.copyFromHost(arena.allocateFrom(ValueLayout.JAVA_INT, position));
                boolean programmatic = cuda.computeCapability().atLeast(9, 0);
                s.allowProgrammaticLaunches(programmatic);
                kernels.matVec.traceRing(trace);
                kernels.fusedMatVec.traceRing(trace);
                CudaGraph step;
                try {
                    s.beginCapture();
                    graph.forward(a, cache, 1, context, null, s);
                    graph.argmax(a, s);
                    step = s.endCapture();
                } finally {
                    kernels.matVec.traceRing(null);
                    kernels.fusedMatVec.traceRing(null);
                    s.allowProgrammaticLaunches(false);
                }
                try (step) {
                    List<RingTrace.Launch> launches = trace.launches();
                    System.out.printf("timeline %s, %d layers, position %d of a %d context, %s, programmatic launches %s, "
                            + "%d ring launches per step%n", path.getFileName(), c.blockCount(), position, context,
                            cuda.deviceName(), programmatic, launches.size());
                    if (launches.isEmpty()) {
                        System.out.println("no ring launches (not compute capability 9.0, -Dpagoda.cuda.matvecRing=false, "
                                + "or no q4_K / q6_K weights): nothing to trace");
                        return;
                    }
                    double stepMs = EventMedian.millis(s, start, end, 10, replays, () -> step.launch(s));
                    Map<RingTrace.Launch, Sums> byKind = new LinkedHashMap<>();
                    double span = 0;
                    double chainTotal = 0;
                    double runTotal = 0;
                    for (int r = 0; r < replays; r++) {
                        List<RingTrace.Times> times = oneMore(trace, step, s);
                        span += times.getLast().end() - times.getFirst().waited();
                        for (int i = 0; i < times.size(); i++) {
                            RingTrace.Times t = times.get(i);
                            Sums sums = byKind.computeIfAbsent(t.launch(), k -> new Sums());
                            sums.count++;
                            sums.bytes += t.launch().bytes();
                            sums.resident += t.waited() - t.firstResident();
                            sums.run += t.end() - t.waited();
                            sums.stage += t.block0Staged() - t.waited();
                            sums.firstChunk += t.block0FirstChunk() - t.block0Staged();
                            sums.stream += t.block0End() - t.block0FirstChunk();
                            sums.tail += t.end() - t.block0End();
                            runTotal += t.end() - t.waited();
                            if (i > 0) {
                                double chain = t.waited() - times.get(i - 1).end();
                                sums.chain += chain;
                                chainTotal += chain;
                            }
                        }
                    }
                    System.out.printf("step replay %.3f ms (event median); first ring wait -> last ring end %.3f ms%n",
                            stepMs, span / replays / 1e6);
                    System.out.printf("%-26s %6s %9s %12s %10s %10s %14s   %s%n", "ring launch (rows x cols)", "/step",
                            "MB", "resident us", "run us", "GB/s run", "chain before us",
                            "run of block 0, us: x staged / first chunk / streaming / others' tail");
                    for (Map.Entry<RingTrace.Launch, Sums> e : byKind.entrySet()) {
                        RingTrace.Launch l = e.getKey();
                        Sums m = e.getValue();
                        double n = m.count;
                        System.out.printf("%-26s %6d %9.1f %12.2f %10.2f %10.0f %14.2f   %6.2f %6.2f %7.2f %6.2f%n",
                                label(l), m.count / replays, l.bytes() / 1e6,
                                m.resident / n / 1e3, m.run / n / 1e3, m.bytes / m.run, m.chain / n / 1e3,
                                m.stage / n / 1e3, m.firstChunk / n / 1e3, m.stream / n / 1e3, m.tail / n / 1e3);
                    }
                    long stepBytes = launches.stream().mapToLong(RingTrace.Launch::bytes).sum();
                    System.out.printf("per step: ring runs %.3f ms (%.0f GB/s over %d MB), chains between them %.3f ms%n",
                            runTotal / replays / 1e6, stepBytes / (runTotal / replays), stepBytes / 1_000_000,
                            chainTotal / replays / 1e6);
                    List<String> first = new ArrayList<>();
                    List<RingTrace.Times> one = oneMore(trace, step, s);
                    long t0 = one.getFirst().firstResident();
                    for (int i = 0; i < Math.min(one.size(), 14); i++) {
                        RingTrace.Times t = one.get(i);
                        first.add(String.format("  %-24s resident %8.2f  waited %8.2f  end %8.2f us", label(t.launch()),
                                (t.firstResident() - t0) / 1e3,
                                (t.waited() - t0) / 1e3, (t.end() - t0) / 1e3));
                    }
                    System.out.println("one replay's first launches (from the first ring launch's first block):");
                    first.forEach(System.out::println);
                }
            }
        }
    }

    private static String label(RingTrace.Launch l) {
        return l.formats() + " " + l.rows() + "x" + l.cols();
    }

    // one replay of the step with the trace cleared before it, and its stamps
    private static List<RingTrace.Times> oneMore(RingTrace trace, CudaGraph step, CudaStream s) {
        trace.clear();
        step.launch(s);
        s.synchronize();
        return trace.read();
    }
}
