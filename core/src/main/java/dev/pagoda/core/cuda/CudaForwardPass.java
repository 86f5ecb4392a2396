package dev.pagoda.core.cuda;

import dev.pagoda.core.backend.ForwardPass;
import dev.pagoda.core.backend.PenalizedIds;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaGraph;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.PinnedHostBuffer;
import dev.pagoda.cuda.kernels.TopCandidates;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One session on the GPU: its f16 KV cache, device scratch, a stream and pinned staging memory.
 * Only token ids and positions go to the device, and only the logits (or, for greedy decoding, one
 * int32) come back.
 *
 * <p>Decoding one token is one replay of a CUDA graph captured on the session's first decode step:
 * every kernel reads the token id and position from device memory, so per token the host queues two
 * 4-byte uploads, one graph launch and one 4-byte copy back (or the logits), and waits once. Sampling
 * with top-k ≤ {@link TopCandidates#CANDIDATES} gets the best candidates instead of the logits
 * ({@link #forwardCandidates}: 516 bytes back instead of 4 × vocab). Prefill runs the batch with the
 * tensor-core matmul, launched directly. Single-threaded, like its session.
 */
final class CudaForwardPass implements ForwardPass {
    private final CudaEngine engine;
    private final CudaLlamaGraph graph;
    private final LlamaConfig config;
    private final CudaStream stream;
    private final CudaActivations a;
    private final DeviceKvCache cache;
    private final PinnedHostBuffer staging;  // tokens (maxBatch int32), positions (maxBatch int32), argmax (int32), logits
    private final long positionsOffset;
    private final long argmaxOffset;
    private final long logitsOffset;
    private DeviceBuffer allRowLogits;       // (maxBatch, vocab), made on the first all-rows call
    private PinnedHostBuffer allRowStaging;
    private CudaGraph decodeStep;            // captured on the first one-token call
    private DeviceBuffer candidateScratch;   // top candidates: per-slice keys, the output, the penalized ids;
    private DeviceBuffer candidateOut;       // made on the first forwardCandidates call
    private DeviceBuffer penalizedIds;
    private PinnedHostBuffer candidateHost;  // the output's copy, then the penalized ids to upload
    private boolean closed;

    CudaForwardPass(CudaEngine engine, Cuda cuda, CudaLlamaGraph graph, int contextLength, int maxBatch) {
        this.engine = engine;
        this.graph = graph;
        this.config = graph.config();
        positionsOffset = 4L * maxBatch;
        argmaxOffset = 8L * maxBatch;
        logitsOffset = 8L * maxBatch + 16;
        CudaStream s = null;
        CudaActivations act = null;
        DeviceKvCache kv = null;
        try {
            s = cuda.createStream();
            act = new CudaActivations(cuda, config, maxBatch);
            kv = new DeviceKvCache(cuda, config, contextLength);
            staging = cuda.allocatePinned(logitsOffset + 4L * config.vocabSize());
        } catch (RuntimeException e) {
            if (kv != null) {
                kv.close();
            }
            if (act != null) {
                act.close();
            }
            if (s != null) {
                s.close();
            }
            throw e;
        }
        stream = s;
        a = act;
        cache = kv;
    }

    @Override
    public int maxBatch() {
        return a.maxBatch;
    }

    @Override
    public void forward(int[] tokens, int from, int count, int startPos, float[] logits, boolean allRows) {
        int vocab = config.vocabSize();
        if (allRows) {
            ensureAllRowLogits();
            upload(tokens, from, count, startPos);
            graph.forward(a, cache, count, startPos + count, allRowLogits, stream);
            MemorySegment host = allRowStaging.segment().asSlice(0, 4L * count * vocab);
            allRowLogits.copyToHostAsync(host, 0, stream);
            stream.synchronize();
            MemorySegment.copy(host, ValueLayout.JAVA_FLOAT, 0, logits, 0, count * vocab);
            return;
        }
        run(tokens, from, count, startPos);
        MemorySegment host = staging.segment().asSlice(logitsOffset, 4L * vocab);
        a.logits.copyToHostAsync(host, 0, stream);
        stream.synchronize();
        MemorySegment.copy(host, ValueLayout.JAVA_FLOAT, 0, logits, 0, vocab);
    }

    @Override
    public int forwardArgmax(int[] tokens, int from, int count, int startPos) {
        boolean captured = run(tokens, from, count, startPos);
        if (!captured) {
            graph.argmax(a, stream);
        }
        MemorySegment host = staging.segment().asSlice(argmaxOffset, 4);
        a.argmax.copyToHostAsync(host, 0, stream);
        stream.synchronize();
        return host.get(ValueLayout.JAVA_INT, 0);
    }

    @Override
    public int maxCandidates() {
        return config.vocabSize() <= TopCandidates.MAX_VOCABULARY ? TopCandidates.CANDIDATES : 0;
    }

    @Override
    public int forwardCandidates(int[] tokens, int from, int count, int startPos, int[] penalized, int penalizedCount,
            float penalty, float[] logits, int[] ids) {
        int vocab = config.vocabSize();
        if (maxCandidates() == 0) {
            throw new UnsupportedOperationException("a vocabulary of " + vocab + " is larger than the device's top "
                    + "candidates take (" + TopCandidates.MAX_VOCABULARY + ")");
        }
        PenalizedIds.check(penalized, penalizedCount, vocab);  // the device writes logits[id] for each
        ensureCandidateBuffers(penalizedCount);
        run(tokens, from, count, startPos);
        MemorySegment host = candidateHost.segment();
        if (penalizedCount > 0) {
            // the previous call's copies from this memory finished: every call ends in a synchronize
            MemorySegment idsHost = host.asSlice(TopCandidates.OUT_BYTES, 4L * penalizedCount);
            MemorySegment.copy(penalized, 0, idsHost, ValueLayout.JAVA_INT, 0, penalizedCount);
            penalizedIds.copyFromHostAsync(idsHost, 0, stream);
        }
        graph.kernels().topCandidates.launch(a.logits, vocab, penalizedIds, penalizedCount, penalty, candidateScratch,
                candidateOut, stream);
        MemorySegment out = host.asSlice(0, TopCandidates.OUT_BYTES);
        candidateOut.copyToHostAsync(out, 0, stream);
        stream.synchronize();
        int nan = out.get(ValueLayout.JAVA_INT, TopCandidates.NAN_INDEX_OFFSET);
        if (nan != Integer.MAX_VALUE) {
            throw new IllegalArgumentException("logits[" + nan + "] is NaN");
        }
        int n = Math.min(TopCandidates.CANDIDATES, vocab);
        for (int i = 0; i < n; i++) {
            long key = out.getAtIndex(ValueLayout.JAVA_LONG, i);
            ids[i] = TopCandidates.id(key);
            logits[i] = TopCandidates.logit(key);
        }
        return n;
    }

    // scratch, output and a penalized-id buffer of at least `ids` entries (grown when a window is longer)
    private void ensureCandidateBuffers(int ids) {
        int want = Math.max(64, ids);
        if (penalizedIds != null && penalizedIds.byteSize() >= 4L * want) {
            return;
        }
        closeCandidateBuffers();
        Cuda cuda = stream.cuda();
        try {
            candidateScratch = cuda.allocate(TopCandidates.scratchBytes(config.vocabSize()));
            candidateOut = cuda.allocate(TopCandidates.OUT_BYTES);
            penalizedIds = cuda.allocate(4L * want);
            candidateHost = cuda.allocatePinned(TopCandidates.OUT_BYTES + 4L * want);
        } catch (RuntimeException e) {
            closeCandidateBuffers();
            throw e;
        }
    }

    private void closeCandidateBuffers() {
        for (AutoCloseable c : new AutoCloseable[] {candidateScratch, candidateOut, penalizedIds, candidateHost}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("freeing the top-candidate buffers failed", e);
                }
            }
        }
        candidateScratch = null;
        candidateOut = null;
        penalizedIds = null;
        candidateHost = null;
    }

    /** Queues the pass leaving the last row's logits in a.logits; true when the captured decode step ran (argmax included). */
    private boolean run(int[] tokens, int from, int count, int startPos) {
        upload(tokens, from, count, startPos);
        if (count == 1 && graph.layers().fixedAddresses()) {
            if (decodeStep == null) {
                decodeStep = captureDecodeStep();
            }
            decodeStep.launch(stream);
            return true;
        }
        graph.forward(a, cache, count, startPos + count, null, stream);
        return false;
    }

    private void upload(int[] tokens, int from, int count, int startPos) {
        if (closed) {
            throw new IllegalStateException("the CUDA session is closed");
        }
        engine.ensureOpen();
        if (count < 1 || count > a.maxBatch) {
            throw new IllegalArgumentException("batch of " + count + " tokens; 1.." + a.maxBatch + " allowed");
        }
        if (startPos < 0 || (long) startPos + count > cache.contextLength()) {
            throw new IllegalArgumentException("positions " + startPos + ".." + (startPos + count - 1)
                    + " are outside the context of " + cache.contextLength());
        }
        MemorySegment host = staging.segment();
        // The previous step's copies from the staging memory have finished: every call ends in a synchronize.
        for (int b = 0; b < count; b++) {
            host.setAtIndex(ValueLayout.JAVA_INT, b, tokens[from + b]);
            host.set(ValueLayout.JAVA_INT, positionsOffset + 4L * b, startPos + b);
        }
        a.tokens.copyFromHostAsync(host.asSlice(0, 4L * count), 0, stream);
        a.positions.copyFromHostAsync(host.asSlice(positionsOffset, 4L * count), 0, stream);
    }

    /**
     * The whole one-token step (embedding, every layer, final norm, output matvec, argmax) as one graph;
     * attention's grid is sized for the full context and sized down on the device.
     */
    private CudaGraph captureDecodeStep() {
        stream.allowProgrammaticLaunches(programmaticLaunches());
        try {
            stream.beginCapture();
            try {
                graph.forward(a, cache, 1, cache.contextLength(), null, stream);
                graph.argmax(a, stream);
            } catch (RuntimeException e) {
                stream.endCapture().close();
                throw e;
            }
            return stream.endCapture();
        } finally {
            stream.allowProgrammaticLaunches(false);
        }
    }

    /** The system property that turns the decode step's programmatic launches off ({@code false}). */
    static final String PROGRAMMATIC_LAUNCH_PROPERTY = "pagoda.cuda.programmaticLaunch";

    /**
     * Whether the decode step's kernels may start while the kernel before them finishes (programmatic
     * dependent launch, compute capability 9.0 and newer: CudaStream.allowProgrammaticLaunches). Only this
     * graph takes them: its weights are resident and its every input comes from an earlier kernel of the
     * step, with no copies or event waits between them. On by default; {@code -Dpagoda.cuda.programmaticLaunch=false}
     * captures the plain graph (for comparison, or should a driver mishandle programmatic edges), read at
     * each capture.
     */
    private static boolean programmaticLaunches() {
        return !"false".equals(System.getProperty(PROGRAMMATIC_LAUNCH_PROPERTY));
    }

    private void ensureAllRowLogits() {
        if (allRowLogits == null) {
            long bytes = 4L * a.maxBatch * config.vocabSize();
            allRowLogits = stream.cuda().allocate(bytes);
            try {
                allRowStaging = stream.cuda().allocatePinned(bytes);
            } catch (RuntimeException e) {
                allRowLogits.close();
                allRowLogits = null;
                throw e;
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stream.synchronize();
        if (decodeStep != null) {
            decodeStep.close();
        }
        if (allRowLogits != null) {
            allRowLogits.close();
            allRowStaging.close();
        }
        closeCandidateBuffers();
        staging.close();
        cache.close();
        a.close();
        stream.close();
        engine.forget(this);
    }
}
