package dev.pagoda.core.tier;

import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.core.llama.LayerAccess;
import dev.pagoda.core.llama.LlamaLayerWeights;
import dev.pagoda.core.llama.LlamaWeights;
import dev.pagoda.gguf.GgufFile;
import dev.pagoda.gguf.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a {@link TierPlan} on a {@link Device}: resident layers and the non-layer tensors are copied
 * into device memory once; streamed layers pass through a ring of device slots, every pass.
 *
 * <p>The schedule, for streamed layers in pass order (ordinal g counts across passes, so the next
 * token's first layers are fetched while this token finishes), with S slots and S staging buffers:
 * <ul>
 *   <li>copy g goes into slot g mod S once slot g mod S is released by layer g − S's compute
 *       (ordered on the device by a fence) and, for a tier C layer, once its storage read is done;</li>
 *   <li>read g (tier C) goes into staging g mod S once copy g − S has drained it, i.e. as soon as
 *       layer g − S is acquired;</li>
 *   <li>so while layer g computes, layer g + 1 is being copied and layer g + 2 read from storage.</li>
 * </ul>
 * Passes run one at a time (a lock spans a pass): the ring belongs to the model, not to a session.
 */
public final class LayerStreamer implements LayerAccess, AutoCloseable {

    /** Opens the storage a tier C layer is read from: one source per file (shard) of the model. */
    @FunctionalInterface
    public interface StorageOpener {
        WeightSource open(Path file) throws IOException;
    }

    /** One streamed layer: its tensors, where they go in a slot, and where they come from. */
    private record Streamed(int layer, Tier tier, List<TensorInfo> tensors, long[] slotOffsets, long bytes,
            MemorySegment host, WeightSource source, long[] fileOffsets, long[] stagingOffsets,
            LlamaLayerWeights loaded) {}

    private final TierPlan plan;
    private final Device device;
    private final LlamaWeights weights;
    private final LlamaLayerWeights[] resident;
    private final long[] residentBytes;
    private final List<Streamed> order = new ArrayList<>();
    private final int[] ordinalOf;
    private final List<WeightSource> sources;
    private final DeviceMemory[] slots;
    private final MemorySegment[] staging;
    private final int ringSize;
    private final CompletableFuture<Void>[] readDone;
    private final CompletableFuture<Fence>[] copyDone;
    private final CompletableFuture<Void>[] copyStamped;
    private final Fence[] slotReleased;
    /** Per ring index and tensor of the layer in that slot: bytes its last copy moved (a prefix, with a row share). */
    private final long[][] copiedBytes;
    private volatile RowShare rowShare;
    private final ReentrantLock passLock = new ReentrantLock();
    /** Per ring index: when its current read and copy were started and finished (System.nanoTime). */
    private final long[] readStart;
    private final long[] readEnd;
    private final long[] copyStart;
    private final long[] copyEnd;
    private boolean recordNext;
    private volatile LayerTimeline lastTimeline;
    private long next;
    private volatile TierStats stats = TierStats.ZERO;

    @SuppressWarnings("unchecked")
    private LayerStreamer(TierPlan plan, Device device, GgufFile file, LlamaWeights loaded, StorageOpener storage,
            List<WeightSource> sources) throws IOException {
        this.plan = plan;
        this.sources = sources;
        this.device = device;
        LayerFootprint footprint = LayerFootprint.of(file.tensors());
        if (footprint.layerCount() != plan.layerCount() || loaded.layers().size() != plan.layerCount()) {
            throw new IllegalArgumentException("the plan has " + plan.layerCount() + " layers but the model "
                    + footprint.layerCount());
        }
        device.reserve(plan.contextBytes(), "KV cache and workspace");
        this.weights = residentNonLayer(file, footprint, loaded);
        int n = plan.layerCount();
        resident = new LlamaLayerWeights[n];
        residentBytes = new long[n];
        ordinalOf = new int[n];
        Map<Path, WeightSource> byFile = new HashMap<>();
        for (int l = 0; l < n; l++) {
            LayerFootprint.Layer layer = footprint.layers().get(l);
            List<TensorInfo> tensors = layer.tensors();
            long[] offsets = LayerLayout.deviceOffsets(tensors);
            residentBytes[l] = layer.bytes();
            ordinalOf[l] = -1;
            switch (plan.tier(l)) {
                case A -> {
                    DeviceMemory memory = device.allocate(offsets[tensors.size()], "blk." + l);
                    copyNow(file, tensors, memory, offsets);
                    resident[l] = layerWeights(loaded.layers().get(l), tensors, memory, offsets);
                }
                case B -> {
                    MemorySegment host = device.allocatePinnedHost(offsets[tensors.size()], LayerLayout.DEVICE_ALIGNMENT,
                            "blk." + l + " (tier B)");
                    for (int i = 0; i < tensors.size(); i++) {
                        MemorySegment mapped = file.data(tensors.get(i));
                        MemorySegment.copy(mapped, 0, host, offsets[i], tensors.get(i).byteSize());
                        MappedPages.release(mapped);
                    }
                    ordinalOf[l] = order.size();
                    order.add(new Streamed(l, Tier.B, tensors, offsets, layer.bytes(), host, null, null, null,
                            loaded.layers().get(l)));
                }
                case C -> {
                    long[] fileOffsets = new long[tensors.size()];
                    Path shard = file.shardPath(tensors.getFirst().shard());
                    for (int i = 0; i < tensors.size(); i++) {
                        if (tensors.get(i).shard() != tensors.getFirst().shard()) {
                            throw new IllegalArgumentException("blk." + l + " spans two files of a split model");
                        }
                        fileOffsets[i] = file.fileOffset(tensors.get(i));
                    }
                    WeightSource source = byFile.get(shard);
                    if (source == null) {
                        source = storage.open(shard);
                        byFile.put(shard, source);
                        sources.add(source);
                    }
                    ordinalOf[l] = order.size();
                    order.add(new Streamed(l, Tier.C, tensors, offsets, layer.bytes(), null, source, fileOffsets,
                            LayerLayout.stagingOffsets(tensors, plan.storageBlock()), loaded.layers().get(l)));
                }
            }
        }
        ringSize = plan.slotCount();
        slots = new DeviceMemory[ringSize];
        for (int k = 0; k < ringSize; k++) {
            slots[k] = device.allocate(plan.slotBytes(), "streaming slot " + k);
        }
        staging = new MemorySegment[plan.stagingCount()];
        long stagingAlignment = Math.max(plan.storageBlock(),
                sources.stream().mapToLong(WeightSource::alignment).max().orElse(1));
        for (int k = 0; k < staging.length; k++) {
            staging[k] = device.allocatePinnedHost(plan.stagingBytes(), stagingAlignment, "staging " + k);
        }
        readStart = new long[ringSize];
        readEnd = new long[ringSize];
        copyStart = new long[ringSize];
        copyEnd = new long[ringSize];
        readDone = new CompletableFuture[ringSize];
        copyDone = new CompletableFuture[ringSize];
        copyStamped = new CompletableFuture[ringSize];
        slotReleased = new Fence[ringSize];
        int maxTensors = order.stream().mapToInt(s -> s.tensors().size()).max().orElse(0);
        copiedBytes = new long[ringSize][maxTensors];
        java.util.Arrays.fill(slotReleased, Fence.done());
        for (long g = 0; g < ringSize && !order.isEmpty(); g++) {
            issueRead(g);
            issueCopy(g);
        }
    }

    /**
     * Allocates everything the plan asks for on {@code device} and fills resident and tier B memory
     * from {@code file}; tier C layers will be read through {@code storage}.
     *
     * @param loaded the model's weights as loaded from the file (norms are taken from here)
     */
    public static LayerStreamer open(TierPlan plan, Device device, GgufFile file, LlamaWeights loaded,
            StorageOpener storage) throws IOException {
        List<WeightSource> sources = new ArrayList<>();
        try {
            return new LayerStreamer(plan, device, file, loaded, storage, sources);
        } catch (IOException | RuntimeException | Error e) {
            for (WeightSource source : sources) {
                try {
                    source.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            device.close();
            throw e;
        }
    }

    /** The plan it runs. */
    public TierPlan plan() {
        return plan;
    }

    /** The device it runs on. */
    public Device device() {
        return device;
    }

    /** The model's weights with the non-layer tensors in device memory (its layer list is the file's, for sizes only). */
    public LlamaWeights weights() {
        return weights;
    }

    /**
     * From the next copy queued on, copies only {@code share}'s leading rows of each streamed
     * matrix and hands them out as matrices of that many rows to single-token passes; null copies
     * whole layers again. Norm vectors are always copied whole.
     */
    public void shareRows(RowShare share) {
        this.rowShare = share;
    }

    /** Totals over every pass so far. */
    public TierStats stats() {
        return stats;
    }

    private LlamaWeights residentNonLayer(GgufFile file, LayerFootprint footprint, LlamaWeights loaded) {
        List<TensorInfo> tensors = footprint.nonLayerTensors();
        long[] offsets = LayerLayout.deviceOffsets(tensors);
        DeviceMemory memory = device.allocate(offsets[tensors.size()], "non-layer tensors");
        copyNow(file, tensors, memory, offsets);
        Map<String, WeightTensor> views = new HashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            views.put(tensors.get(i).name(), device.view(memory, offsets[i], tensors.get(i)));
        }
        WeightTensor embd = views.get(loaded.tokenEmbd().name());
        WeightTensor output = views.get(loaded.output().name());
        return new LlamaWeights(embd, loaded.outputNorm(), output, loaded.ropeFreqs(), loaded.layers());
    }

    private void copyNow(GgufFile file, List<TensorInfo> tensors, DeviceMemory memory, long[] offsets) {
        Fence last = Fence.done();
        for (int i = 0; i < tensors.size(); i++) {
            last = device.copyToDevice(file.data(tensors.get(i)), memory, offsets[i], Fence.done());
        }
        last.awaitOnCompute();
        // resident now: the mapping's pages would only inflate the process's RSS
        for (TensorInfo t : tensors) {
            MappedPages.release(file.data(t));
        }
    }

    private LlamaLayerWeights layerWeights(LlamaLayerWeights loaded, List<TensorInfo> tensors, DeviceMemory memory,
            long[] offsets) {
        Map<String, WeightTensor> v = new HashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            TensorInfo t = tensors.get(i);
            if (t.rank() == 2) {
                v.put(t.name(), device.view(memory, offsets[i], t));
            }
        }
        return new LlamaLayerWeights(loaded.attnNorm(), v.get(loaded.attnQ().name()), v.get(loaded.attnK().name()),
                v.get(loaded.attnV().name()), v.get(loaded.attnOutput().name()), loaded.ffnNorm(),
                v.get(loaded.ffnGate().name()), v.get(loaded.ffnUp().name()), v.get(loaded.ffnDown().name()));
    }

    private Streamed streamed(long ordinal) {
        return order.get((int) (ordinal % order.size()));
    }

    /** Starts the storage read of ordinal g into staging g mod S (tier C), or marks it ready (tier B). */
    private void issueRead(long g) {
        Streamed s = streamed(g);
        int k = (int) (g % ringSize);
        if (s.tier() != Tier.C) {
            readStart[k] = Long.MIN_VALUE;
            readDone[k] = CompletableFuture.completedFuture(null);
            return;
        }
        MemorySegment buffer = staging[k];
        List<ReadRequest> requests = new ArrayList<>(s.tensors().size());
        long size = s.source().size();
        for (int i = 0; i < s.tensors().size(); i++) {
            long start = s.fileOffsets()[i] / plan.storageBlock() * plan.storageBlock();
            long end = Math.min(size, LayerLayout.alignUp(s.fileOffsets()[i] + s.tensors().get(i).byteSize(),
                    plan.storageBlock()));
            long window = s.stagingOffsets()[i + 1] - s.stagingOffsets()[i];
            requests.add(new ReadRequest(start, buffer.asSlice(s.stagingOffsets()[i], window), end - start));
        }
        readStart[k] = System.nanoTime();
        readDone[k] = s.source().submit(requests).thenRun(() -> readEnd[k] = System.nanoTime());
    }

    /** Queues the copy of ordinal g into slot g mod S, after its read and after the slot's last compute. */
    private void issueCopy(long g) {
        Streamed s = streamed(g);
        int k = (int) (g % ringSize);
        Fence after = slotReleased[k];
        copyDone[k] = readDone[k].thenApply(v -> {
            copyStart[k] = System.nanoTime();
            Fence last = Fence.done();
            RowShare share = rowShare;
            for (int i = 0; i < s.tensors().size(); i++) {
                TensorInfo t = s.tensors().get(i);
                long bytes = share == null || t.rank() != 2 ? t.byteSize()
                        : Math.clamp(share.deviceRows(s.layer(), t), 0, t.rowCount()) * t.rowByteSize();
                copiedBytes[k][i] = bytes;
                if (bytes > 0) {
                    last = device.copyToDevice(source(s, k, i).asSlice(0, bytes), slots[k], s.slotOffsets()[i], after);
                }
            }
            return last;
        });
        copyStamped[k] = copyDone[k].thenCompose(Fence::reached).thenRun(() -> copyEnd[k] = System.nanoTime());
    }

    /** Tensor i of streamed layer s as it lies in host memory: tier B pinned, or staging k for tier C. */
    private MemorySegment source(Streamed s, int k, int i) {
        TensorInfo t = s.tensors().get(i);
        return s.tier() == Tier.B
                ? s.host().asSlice(s.slotOffsets()[i], t.byteSize())
                : staging[k].asSlice(s.stagingOffsets()[i] + s.fileOffsets()[i] % plan.storageBlock(), t.byteSize());
    }

    /** Copies what a row share left out of slot k, for a pass that needs whole matrices. */
    private void copyRest(Streamed s, int k) {
        Fence last = Fence.done();
        for (int i = 0; i < s.tensors().size(); i++) {
            long size = s.tensors().get(i).byteSize();
            long done = copiedBytes[k][i];
            if (done < size) {
                last = device.copyToDevice(source(s, k, i).asSlice(done, size - done), slots[k],
                        s.slotOffsets()[i] + done, Fence.done());
                copiedBytes[k][i] = size;
            }
        }
        last.awaitOnCompute();
    }

    /** The slot's views, each matrix cut to the rows its copy moved. */
    private LlamaLayerWeights sharedWeights(Streamed s, int k) {
        LlamaLayerWeights whole = layerWeights(s.loaded(), s.tensors(), slots[k], s.slotOffsets());
        Map<String, Long> rows = new HashMap<>();
        for (int i = 0; i < s.tensors().size(); i++) {
            TensorInfo t = s.tensors().get(i);
            if (t.rank() == 2) {
                rows.put(t.name(), copiedBytes[k][i] / t.rowByteSize());
            }
        }
        return new LlamaLayerWeights(whole.attnNorm(), cut(whole.attnQ(), rows), cut(whole.attnK(), rows),
                cut(whole.attnV(), rows), cut(whole.attnOutput(), rows), whole.ffnNorm(), cut(whole.ffnGate(), rows),
                cut(whole.ffnUp(), rows), cut(whole.ffnDown(), rows));
    }

    private static WeightTensor cut(WeightTensor w, Map<String, Long> rows) {
        int n = Math.toIntExact(rows.get(w.name()));
        return n == w.rows() ? w
                : new WeightTensor(w.name(), w.type(), n, w.cols(), w.data().asSlice(0, n * w.rowBytes()));
    }

    @Override
    public LayerAccess.Pass begin(int tokens) {
        passLock.lock();
        StreamedPass pass = new StreamedPass(tokens, recordNext);
        recordNext = false;
        return pass;
    }

    /** Records per-layer timings of the next pass, to be read with {@link #lastTimeline()} after it. */
    public void recordNextPass() {
        passLock.lock();
        try {
            recordNext = true;
        } finally {
            passLock.unlock();
        }
    }

    /** The timings of the last recorded pass, if any. */
    public java.util.Optional<LayerTimeline> lastTimeline() {
        return java.util.Optional.ofNullable(lastTimeline);
    }

    /** One pass; lives on the compute thread between begin and close. */
    private final class StreamedPass implements LayerAccess.Pass {
        private final int tokens;
        private final long start = System.nanoTime();
        private long copyWait;
        private long storageWait;
        private long a;
        private long b;
        private long c;
        private int released;
        private boolean closed;
        private final LayerTimeline.LayerSpans[] spans;
        private LayerTimeline.Span read = LayerTimeline.Span.NONE;
        private LayerTimeline.Span copy = LayerTimeline.Span.NONE;
        private long computeStart;

        StreamedPass(int tokens, boolean record) {
            this.tokens = tokens;
            this.spans = record ? new LayerTimeline.LayerSpans[plan.layerCount()] : null;
        }

        @Override
        public LlamaLayerWeights acquire(int layer) {
            if (resident[layer] != null) {
                a += residentBytes[layer];
                read = LayerTimeline.Span.NONE;
                copy = LayerTimeline.Span.NONE;
                computeStart = System.nanoTime();
                return resident[layer];
            }
            Streamed s = streamed(next);
            if (s.layer() != layer) {
                throw new IllegalStateException("layer " + layer + " acquired while blk." + s.layer()
                        + " is next in the streaming order");
            }
            int k = (int) (next % ringSize);
            long t0 = System.nanoTime();
            join(readDone[k], s);
            long t1 = System.nanoTime();
            join(copyDone[k], s).awaitOnCompute();
            long t2 = System.nanoTime();
            // a batch needs whole matrices (prefill runs on the device alone), as does a pass after the share was removed
            boolean whole = tokens > 1 || rowShare == null;
            if (whole) {
                copyRest(s, k);
            }
            long t3 = System.nanoTime();
            storageWait += t1 - t0;
            copyWait += t3 - t1;
            if (s.tier() == Tier.B) {
                b += s.bytes();
            } else {
                c += s.bytes();
            }
            if (spans != null) {
                // the copy's end is stamped by a callback that may run just after the fence is reached
                copyStamped[k].join();
                read = readStart[k] == Long.MIN_VALUE ? LayerTimeline.Span.NONE
                        : new LayerTimeline.Span(readStart[k] - start, readEnd[k] - start);
                copy = new LayerTimeline.Span(copyStart[k] - start, copyEnd[k] - start);
            }
            // staging k is drained: the read two layers ahead may start
            issueRead(next + ringSize);
            computeStart = System.nanoTime();
            return whole ? layerWeights(s.loaded(), s.tensors(), slots[k], s.slotOffsets()) : sharedWeights(s, k);
        }

        @Override
        public void release(int layer) {
            released = layer + 1;
            if (spans != null) {
                spans[layer] = new LayerTimeline.LayerSpans(layer, plan.tier(layer), read, copy,
                        new LayerTimeline.Span(computeStart - start, System.nanoTime() - start));
            }
            if (resident[layer] != null) {
                return;
            }
            int k = (int) (next % ringSize);
            slotReleased[k] = device.computeFence();
            issueCopy(next + ringSize);
            next++;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (released != plan.layerCount()) {
                    resynchronise();
                }
                long total = System.nanoTime() - start;
                if (spans != null && released == plan.layerCount()) {
                    lastTimeline = new LayerTimeline(java.util.Arrays.asList(spans));
                }
                stats = stats.plus(tokens, total - copyWait - storageWait, copyWait, storageWait, a, b, c);
            } finally {
                passLock.unlock();
            }
        }
    }

    private static <T> T join(CompletableFuture<T> f, Streamed s) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw new UncheckedIOException("reading blk." + s.layer() + " from " + s.source().describe()
                        + ": " + u.getCause().getMessage(), u.getCause());
            }
            throw cause instanceof RuntimeException r ? r : e;
        }
    }

    /** After a pass that stopped part-way: drain what is in flight and restart the ring at a pass boundary. */
    private void resynchronise() {
        if (order.isEmpty()) {
            return;
        }
        for (int k = 0; k < ringSize; k++) {
            try {
                copyDone[k].join().awaitOnCompute();
            } catch (RuntimeException ignored) {
                // the failure was reported by the pass that hit it; its slot is simply refilled
            }
            try {
                readDone[k].join();
            } catch (RuntimeException ignored) {
                // as above
            }
            slotReleased[k] = device.computeFence();
        }
        next = Math.ceilDiv(next, order.size()) * order.size();
        for (long g = next; g < next + ringSize; g++) {
            issueRead(g);
            issueCopy(g);
        }
    }

    /** Waits for reads and copies in flight, closes the storage sources and the device. */
    @Override
    public void close() throws IOException {
        passLock.lock();
        try {
            for (int k = 0; k < ringSize; k++) {
                try {
                    if (copyDone[k] != null) {
                        copyDone[k].join().awaitOnCompute();
                    }
                } catch (RuntimeException ignored) {
                    // nothing waits for this copy any more
                }
            }
            IOException first = null;
            for (WeightSource s : sources) {
                try {
                    s.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            device.close();
            if (first != null) {
                throw first;
            }
        } finally {
            passLock.unlock();
        }
    }
}
