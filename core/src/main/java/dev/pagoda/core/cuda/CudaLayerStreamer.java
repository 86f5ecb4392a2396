package dev.pagoda.core.cuda;

import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.core.hybrid.HybridStats;
import dev.pagoda.core.hybrid.MatrixShare;
import dev.pagoda.core.hybrid.SplitController;
import dev.pagoda.core.llama.LlamaLayerWeights;
import dev.pagoda.core.llama.LlamaWeights;
import dev.pagoda.core.tier.LayerLayout;
import dev.pagoda.core.tier.MappedPages;
import dev.pagoda.core.tier.ReadRequest;
import dev.pagoda.core.tier.Tier;
import dev.pagoda.core.tier.TierPlan;
import dev.pagoda.core.tier.TierStats;
import dev.pagoda.core.tier.WeightSource;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.PinnedHostBuffer;
import dev.pagoda.cuda.kernels.MatVec;
import dev.pagoda.cuda.kernels.WeightType;
import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.GgufFile;
import dev.pagoda.gguf.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Streams the blocks a {@link TierPlan} puts in tier B (pinned host memory) or tier C (storage,
 * read with O_DIRECT into pinned staging) through a ring of device slots; tier A blocks are
 * resident ({@link ResidentWeights}). The kernels only ever read device memory.
 *
 * <p>Schedule, for streamed blocks in pass order (ordinal g counts across passes, so the next pass's
 * first blocks are copied while this one finishes), with S slots and S staging buffers:
 * <ul>
 *   <li>copy g runs on the copy stream into slot g mod S after the event that layer g − S's last
 *       kernel recorded on the compute stream ({@link #release}) and, for tier C, after its read;</li>
 *   <li>the compute stream waits for copy g's event before layer g's first kernel ({@link #acquire});</li>
 *   <li>read g + S (tier C) starts into staging g mod S once copy g has drained it.</li>
 * </ul>
 * So while layer g computes, g + 1 is being copied and g + 2 read. A prompt batch is one pass: each
 * streamed block crosses PCIe once per batch, not once per token.
 *
 * <p>Statistics: a pair of events around the pass gives its device time; a pair around each
 * compute-stream wait measures how long compute stalled for a slot's copy (copy wait); the host time
 * spent blocked on tier C reads before it could queue a copy is the storage wait (the device runs
 * dry meanwhile); compute is the rest. Passes run one at a time on one thread (sessions of a
 * streamed model take turns); the ring belongs to the model.
 *
 * <p>Hybrid decode (given a {@link Sharing}): a tier B block's copy moves only the device's leading
 * rows of each matrix ({@link SplitController#deviceRows}, as the share stands when the copy is
 * queued), and a one-token pass computes the rest on the host ({@link HostRowProducts}) through
 * {@link #shareProduct}. The compute stream then waits for the slot's copy only before the block's
 * first device product, after its input went to the host, so the host works on block g while block
 * g's share is still crossing the link. A pass over several tokens first copies the rest of each
 * matrix into the slot (one more copy per matrix) and runs wholly on the device. Tier C blocks are
 * copied whole and computed on the device. Each block copy is timed by a pair of events on the copy
 * stream, and after each pass the controller gets both sides' times and moves the share.
 */
final class CudaLayerStreamer implements LayerWeightSource, AutoCloseable {
    private static final int ROLES = 7;  // attn_q, attn_k, attn_v, attn_output, ffn_gate, ffn_up, ffn_down

    /** What hybrid decode needs: the device kernel for its rows, host threads and the share. */
    record Sharing(MatVec matVec, int threads, SplitController controller) {}

    /** One streamed block: where its matrices come from and what the kernels need to know of them. */
    private record Streamed(int layer, Tier tier, WeightTensor[] matrices, WeightType[] types, long bytes,
            PinnedHostBuffer host, long[] hostOffsets, WeightSource source, long[] fileOffsets,
            long[] stagingOffsets, DeviceBuffer attnNorm, DeviceBuffer ffnNorm) {}

    private final TierPlan plan;
    private final CudaStream copyStream;
    private final ResidentWeights resident;
    private final List<Streamed> order = new ArrayList<>();
    private final int[] ordinalInPass;
    private final List<WeightSource> sources;
    private final int ringSize;
    private final DeviceBuffer[][] slots;        // [slot][role], each sized for the largest block's matrix
    private final PinnedHostBuffer[] staging;
    private final StreamEvent[] copied;          // per slot: its last copy is done
    private final StreamEvent[] freed;           // per slot: its last user's kernels are done
    private final CompletableFuture<?>[] readDone;
    private final StreamEvent passStart = new StreamEvent();
    private final StreamEvent passEnd = new StreamEvent();
    private final StreamEvent[] stallStart;
    private final StreamEvent[] stallEnd;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private long next;                           // ordinal of the next streamed block to acquire
    private int acquiredLayer = -1;
    private CudaLayerWeights acquired;
    private boolean inPass;
    private boolean pending;                      // a finished pass whose events are not summed yet
    private int nextPassTokens;                   // said by the graph before the next pass's first acquire
    private int passTokens;                       // tokens of the pass in progress (or pending)
    private int stalls;
    private TierStats stats = TierStats.ZERO;
    private long passABytes;
    private long passBBytes;
    private long passCBytes;
    private long passStorageWait;               // host time blocked on tier C reads (nothing more was queued meanwhile)
    private final HostRowProducts host;          // null: every block whole on the device
    private final Set<GgmlType> sharedTypes = EnumSet.noneOf(GgmlType.class);
    private final int[][] slotRows;              // [slot][role]: leading rows the slot's copies hold
    private final StreamEvent[] copyStart;       // per copy ordinal mod their count: the device-share copy's bounds
    private final StreamEvent[] copyEnd;
    private final int[][] copyRows;              // rows that timed copy moved, null when it was not a shared block
    private boolean decodePass;
    private long passFirst;                      // ordinal of the pass's first streamed block
    private Streamed acquiredStreamed;
    private int acquiredSlot;
    private int[] acquiredRows;
    private DeviceTensor[] acquiredTensors;
    private int pendingWait = -1;                // slot whose copy the compute stream must still wait for

    CudaLayerStreamer(Cuda cuda, TierPlan plan, GgufFile file, LlamaWeights weights, ResidentWeights resident,
            StorageOpener storage, List<WeightSource> sources, Sharing sharing) throws IOException {
        this.plan = plan;
        this.resident = resident;
        this.sources = sources;
        int n = plan.layerCount();
        ordinalInPass = new int[n];
        Map<Path, WeightSource> byFile = new HashMap<>();
        long[] roleBytes = new long[ROLES];
        try {
            copyStream = own(cuda.createStream());
            for (int l = 0; l < n; l++) {
                ordinalInPass[l] = -1;
                Tier tier = plan.tier(l);
                if (tier == Tier.A) {
                    continue;
                }
                LlamaLayerWeights lw = weights.layers().get(l);
                WeightTensor[] m = {lw.attnQ(), lw.attnK(), lw.attnV(), lw.attnOutput(), lw.ffnGate(), lw.ffnUp(),
                        lw.ffnDown()};
                WeightType[] types = new WeightType[ROLES];
                long bytes = plan.layers().get(l).bytes();  // every tensor of the block, as the plan counts it
                for (int i = 0; i < ROLES; i++) {
                    WeightTensor t = m[i];
                    types[i] = ResidentWeights.weightType(t.type()).orElseThrow(
                            () -> new IllegalArgumentException(t.name() + ": " + t.type() + " has no CUDA kernel"));
                    roleBytes[i] = Math.max(roleBytes[i], t.byteSize());
                }
                DeviceBuffer attnNorm = own(ResidentWeights.vector(cuda, lw.attnNorm()));
                DeviceBuffer ffnNorm = own(ResidentWeights.vector(cuda, lw.ffnNorm()));
                ordinalInPass[l] = order.size();
                if (tier == Tier.B) {
                    long[] sizes = new long[ROLES];
                    for (int i = 0; i < ROLES; i++) {
                        sizes[i] = m[i].byteSize();
                    }
                    long[] offsets = MatrixShare.packedOffsets(sizes, LayerLayout.DEVICE_ALIGNMENT);
                    PinnedHostBuffer host = own(cuda.allocatePinned(offsets[ROLES]));
                    for (int i = 0; i < ROLES; i++) {
                        MemorySegment.copy(m[i].data(), 0, host.segment(), offsets[i], m[i].byteSize());
                        MappedPages.release(m[i].data());  // pinned now: keep the mapping's pages out of RSS
                    }
                    order.add(new Streamed(l, tier, m, types, bytes, host, offsets, null, null, null, attnNorm,
                            ffnNorm));
                } else {
                    List<TensorInfo> infos = new ArrayList<>(ROLES);
                    long[] fileOffsets = new long[ROLES];
                    for (int i = 0; i < ROLES; i++) {
                        TensorInfo info = file.tensor(m[i].name());
                        infos.add(info);
                        fileOffsets[i] = file.fileOffset(info);
                        if (info.shard() != infos.getFirst().shard()) {
                            throw new IllegalArgumentException("blk." + l + " spans two files of a split model");
                        }
                    }
                    Path shard = file.shardPath(infos.getFirst().shard());
                    WeightSource source = byFile.get(shard);
                    if (source == null) {
                        source = storage.open(shard);
                        byFile.put(shard, source);
                        sources.add(source);
                    }
                    order.add(new Streamed(l, tier, m, types, bytes, null, null, source, fileOffsets,
                            LayerLayout.stagingOffsets(infos, plan.storageBlock()), attnNorm, ffnNorm));
                }
            }
            ringSize = order.isEmpty() ? 0 : Math.max(2, plan.slotCount());
            slotRows = new int[ringSize][ROLES];
            int timings = order.size() + ringSize;  // a pass's copies are timed apart from the next pass's, already queued
            copyStart = new StreamEvent[timings];
            copyEnd = new StreamEvent[timings];
            copyRows = new int[timings][];
            host = sharing == null ? null : hostProducts(cuda, sharing);
            if (host != null) {
                for (int t = 0; t < timings; t++) {
                    copyStart[t] = own(new StreamEvent());
                    copyEnd[t] = own(new StreamEvent());
                }
            }
            slots = new DeviceBuffer[ringSize][ROLES];
            copied = new StreamEvent[ringSize];
            freed = new StreamEvent[ringSize];
            readDone = new CompletableFuture<?>[ringSize];
            for (int k = 0; k < ringSize; k++) {
                for (int i = 0; i < ROLES; i++) {
                    slots[k][i] = own(cuda.allocate(roleBytes[i]));
                }
                copied[k] = own(new StreamEvent());
                freed[k] = own(new StreamEvent());
            }
            boolean anyC = order.stream().anyMatch(s -> s.tier() == Tier.C);
            long stagingBytes = order.stream().filter(s -> s.tier() == Tier.C)
                    .mapToLong(s -> s.stagingOffsets()[ROLES]).max().orElse(0);
            staging = new PinnedHostBuffer[anyC ? ringSize : 0];
            for (int k = 0; k < staging.length; k++) {
                // cuMemHostAlloc returns page-aligned memory, which O_DIRECT needs
                staging[k] = own(cuda.allocatePinned(stagingBytes));
            }
            stallStart = new StreamEvent[order.size()];
            stallEnd = new StreamEvent[order.size()];
            for (int i = 0; i < order.size(); i++) {
                stallStart[i] = own(new StreamEvent());
                stallEnd[i] = own(new StreamEvent());
            }
            own(passStart);
            own(passEnd);
            for (long g = 0; g < ringSize; g++) {
                issueRead(g);
                issueCopy(g);
            }
        } catch (IOException | RuntimeException e) {
            closeOwned();
            throw e;
        }
    }

    /** The host side of the tier B blocks' products, or null when no block is in tier B. */
    private HostRowProducts hostProducts(Cuda cuda, Sharing sharing) {
        int maxCols = 0;
        int[] maxRows = new int[ROLES];
        for (Streamed s : order) {
            if (s.tier() == Tier.B) {
                for (int i = 0; i < ROLES; i++) {
                    WeightTensor m = s.matrices()[i];
                    maxCols = Math.max(maxCols, m.cols());
                    maxRows[i] = Math.max(maxRows[i], m.rows());
                    sharedTypes.add(m.type());
                }
            }
        }
        return maxCols == 0 ? null
                : own(new HostRowProducts(cuda, sharing.matVec(), sharing.threads(), sharing.controller(), maxCols, maxRows));
    }

    /** Opens the storage a tier C block is read from: one source per file of the model. */
    @FunctionalInterface
    interface StorageOpener {
        WeightSource open(Path file) throws IOException;
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    TierPlan plan() {
        return plan;
    }

    private Streamed streamed(long ordinal) {
        return order.get((int) (ordinal % order.size()));
    }

    /** Starts reading ordinal g (tier C) into staging g mod S, once the copy that last used it is done. */
    private void issueRead(long g) {
        Streamed s = streamed(g);
        int k = (int) (g % ringSize);
        if (s.tier() != Tier.C) {
            readDone[k] = null;
            return;
        }
        copied[k].synchronize();  // the staging buffer's last copy (every earlier copy of slot k) is done
        MemorySegment buffer = staging[k].segment();
        List<ReadRequest> requests = new ArrayList<>(ROLES);
        long size = s.source().size();
        int block = plan.storageBlock();
        for (int i = 0; i < ROLES; i++) {
            long start = s.fileOffsets()[i] / block * block;
            long end = Math.min(size, LayerLayout.alignUp(s.fileOffsets()[i] + s.matrices()[i].byteSize(), block));
            long window = s.stagingOffsets()[i + 1] - s.stagingOffsets()[i];
            requests.add(new ReadRequest(start, buffer.asSlice(s.stagingOffsets()[i], window), end - start));
        }
        readDone[k] = s.source().submit(requests);
    }

    /** Queues the copy of ordinal g into slot g mod S after the slot's last user and (tier C) its read. */
    private void issueCopy(long g) {
        Streamed s = streamed(g);
        int k = (int) (g % ringSize);
        freed[k].waitOn(copyStream);
        if (s.tier() == Tier.C) {
            long t0 = System.nanoTime();
            join(readDone[k], s);
            passStorageWait += System.nanoTime() - t0;
        }
        boolean shared = host != null && s.tier() == Tier.B;
        int t = (int) (g % copyStart.length);
        if (shared) {
            copyStart[t].record(copyStream);  // after the wait for the slot: times the copy alone
        }
        for (int i = 0; i < ROLES; i++) {
            WeightTensor m = s.matrices()[i];
            int rows = shared ? host.controller().deviceRows(m.type(), m.rows()) : m.rows();
            slotRows[k][i] = rows;
            long n = rows == m.rows() ? m.byteSize() : rows * m.rowBytes();
            if (n == 0) {
                continue;
            }
            MemorySegment src = s.tier() == Tier.B
                    ? s.host().segment().asSlice(s.hostOffsets()[i], n)
                    : staging[k].segment().asSlice(
                            s.stagingOffsets()[i] + s.fileOffsets()[i] % plan.storageBlock(), n);
            slots[k][i].copyFromHostAsync(src, 0, copyStream);
        }
        if (shared) {
            copyEnd[t].record(copyStream);
        }
        copyRows[t] = shared ? slotRows[k].clone() : null;
        copied[k].record(copyStream);
    }

    /** Copies the host's rows of every matrix into slot k too, for a pass that needs whole matrices. */
    private void completeSlot(Streamed s, int k) {
        boolean any = false;
        for (int i = 0; i < ROLES; i++) {
            WeightTensor m = s.matrices()[i];
            if (slotRows[k][i] < m.rows()) {
                MatrixShare share = new MatrixShare(s.hostOffsets()[i], m.rows(), m.rowBytes(), slotRows[k][i]);
                slots[k][i].copyFromHostAsync(s.host().segment().asSlice(share.hostRowsOffset(), share.hostBytes()),
                        share.restSlotOffset(), copyStream);
                slotRows[k][i] = m.rows();
                any = true;
            }
        }
        if (any) {
            copied[k].record(copyStream);
        }
    }

    /** Makes the compute stream wait for slot k's copies, timing the stall. */
    private void awaitCopy(int k, CudaStream stream) {
        int i = stalls++;
        stallStart[i].record(stream);
        copied[k].waitOn(stream);
        stallEnd[i].record(stream);
    }

    private void awaitPending(CudaStream stream) {
        if (pendingWait >= 0) {
            int k = pendingWait;
            pendingWait = -1;
            awaitCopy(k, stream);
        }
    }

    @Override
    public CudaLayerWeights acquire(int layer, CudaStream stream) {
        if (!inPass) {
            beginPass(layer, stream);
        }
        int ordinal = ordinalInPass[layer];
        if (ordinal < 0) {
            if (layer != acquiredLayer) {
                acquiredLayer = layer;
                passABytes += plan.layers().get(layer).bytes();
            }
            return resident.acquire(layer, stream);
        }
        if (layer == acquiredLayer) {
            return acquired;
        }
        Streamed s = streamed(next);
        if (s.layer() != layer) {
            throw new IllegalStateException("blk." + layer + " acquired while blk." + s.layer()
                    + " is next in the streaming order (passes of two sessions interleaved?)");
        }
        int k = (int) (next % ringSize);
        if (!decodePass && s.tier() == Tier.B) {
            completeSlot(s, k);
        }
        boolean shared = host != null && decodePass && s.tier() == Tier.B;
        if (shared) {
            pendingWait = k;  // waited for before the block's first device product (or at release)
            host.newBlock(streamed(next + order.size() - 1).tier() == Tier.B);
        } else {
            awaitCopy(k, stream);
        }
        if (s.tier() == Tier.B) {
            passBBytes += s.bytes();
        } else {
            passCBytes += s.bytes();
        }
        if (streamed(next + ringSize).tier() == Tier.C) {
            issueRead(next + ringSize);
        }
        DeviceBuffer[] slot = slots[k];
        WeightTensor[] m = s.matrices();
        WeightType[] t = s.types();
        DeviceTensor[] d = new DeviceTensor[ROLES];
        for (int r = 0; r < ROLES; r++) {
            d[r] = tensor(m[r], t[r], slot[r]);
        }
        acquired = new CudaLayerWeights(s.attnNorm(), d[0], d[1], d[2], d[3], s.ffnNorm(), d[4], d[5], d[6]);
        acquiredLayer = layer;
        acquiredStreamed = shared ? s : null;
        acquiredSlot = k;
        acquiredRows = slotRows[k].clone();
        acquiredTensors = d;
        return acquired;
    }

    @Override
    public synchronized void beginPass(int tokens) {
        nextPassTokens = tokens;
    }

    @Override
    public boolean sharesRows(int layer) {
        // the same test acquire makes once the pass has begun (begin turns passTokens into decodePass)
        boolean decode = inPass ? decodePass : nextPassTokens == 1;
        return host != null && decode && plan.tier(layer) == Tier.B;
    }

    @Override
    public boolean shareProduct(DeviceTensor w, DeviceBuffer x, DeviceBuffer y, CudaStream stream) {
        Streamed s = acquiredStreamed;
        if (s == null || !inPass) {
            return false;
        }
        int role = -1;
        for (int r = 0; r < ROLES; r++) {
            if (acquiredTensors[r] == w) {
                role = r;
            }
        }
        if (role < 0) {
            return false;
        }
        WeightTensor m = s.matrices()[role];
        if (acquiredRows[role] == m.rows()) {
            awaitPending(stream);
            return false;
        }
        MatrixShare share = new MatrixShare(s.hostOffsets()[role], m.rows(), m.rowBytes(), acquiredRows[role]);
        host.product(role, share, m.type(), s.host().segment(), w, x, y, stream, () -> awaitPending(stream));
        return true;
    }

    /** What hybrid decode did so far; empty when no block is shared with the host. */
    synchronized Optional<HybridStats> hybridStats() {
        if (host == null) {
            return Optional.empty();
        }
        if (!inPass) {
            collect();
        }
        return Optional.of(host.controller().stats(sharedTypes));
    }

    private static DeviceTensor tensor(WeightTensor t, WeightType type, DeviceBuffer slot) {
        return new DeviceTensor(t.name(), type, t.rows(), t.cols(), slot);
    }

    @Override
    public void release(int layer, CudaStream stream) {
        if (ordinalInPass[layer] >= 0) {
            awaitPending(stream);  // a block whose every product ran whole still frees its slot after the copy
            if (acquiredStreamed != null) {
                host.finishBlock();
            }
            acquiredStreamed = null;
            int k = (int) (next % ringSize);
            freed[k].record(stream);
            issueCopy(next + ringSize);
            next++;
        }
        if (layer == plan.layerCount() - 1) {
            passEnd.record(stream);
            synchronized (this) {
                inPass = false;
                pending = true;
            }
            acquiredLayer = -1;
        }
    }

    private synchronized void beginPass(int layer, CudaStream stream) {
        if (layer != 0) {
            throw new IllegalStateException("a pass must start at blk.0, not blk." + layer);
        }
        if (order.size() > 0 && next % order.size() != 0) {
            // the last pass stopped part-way: drain what is in flight and restart the ring at a pass boundary
            stream.synchronize();
            copyStream.synchronize();
            for (CompletableFuture<?> f : readDone) {
                if (f != null) {
                    f.exceptionally(e -> null).join();
                }
            }
            next = Math.ceilDiv(next, order.size()) * order.size();
            for (long g = next; g < next + ringSize; g++) {
                issueRead(g);
                issueCopy(g);
            }
            pending = false;
        }
        collect();
        passTokens = nextPassTokens;  // 0: not said (whole matrices, counted as no tokens)
        nextPassTokens = 0;
        decodePass = passTokens == 1;
        if (host != null && decodePass) {
            host.controller().update();
        }
        passFirst = next;
        pendingWait = -1;
        acquiredStreamed = null;
        inPass = true;
        stalls = 0;
        acquiredLayer = -1;
        passABytes = passBBytes = passCBytes = 0;
        passStorageWait = 0;
        passStart.record(stream);
    }

    /** Adds the finished pass's device times to the totals (its events are reached: the pass ended in a synchronise). */
    private void collect() {
        if (!pending) {
            return;
        }
        pending = false;
        passEnd.synchronize();
        long copyWait = 0;
        for (int i = 0; i < stalls; i++) {
            copyWait += (long) (stallEnd[i].millisSince(stallStart[i]) * 1e6);
        }
        if (host != null) {
            observeCopies();
        }
        long storageWait = passStorageWait;
        long total = (long) (passEnd.millisSince(passStart) * 1e6);
        TierStats s = stats;
        stats = new TierStats(s.passes() + 1, s.tokens() + passTokens, s.computeNanos() + Math.max(0, total - copyWait - storageWait),
                s.copyWaitNanos() + copyWait, s.storageWaitNanos() + storageWait, s.tierABytes() + passABytes,
                s.tierBBytes() + passBBytes, s.tierCBytes() + passCBytes);
    }

    /** Gives the controller the device time of the finished pass's shared-block copies, spread over their types by bytes. */
    private void observeCopies() {
        for (long g = passFirst; g < passFirst + order.size(); g++) {
            int t = (int) (g % copyStart.length);
            int[] rows = copyRows[t];
            if (rows == null) {
                continue;
            }
            copyRows[t] = null;
            WeightTensor[] m = streamed(g).matrices();
            long total = 0;
            for (int i = 0; i < ROLES; i++) {
                total += rows[i] * m[i].rowBytes();
            }
            if (total == 0) {
                continue;
            }
            double nanos = copyEnd[t].millisSince(copyStart[t]) * 1e6;
            for (int i = 0; i < ROLES; i++) {
                long bytes = rows[i] * m[i].rowBytes();
                host.controller().observe(m[i].type(), 0, 0, bytes, (long) (nanos * bytes / total));
            }
        }
    }

    /**
     * Totals over every finished pass: device time of the layer loop, split into compute-stream stalls
     * on copies, host waits on storage reads, and the rest; tokens as the graph announced them.
     */
    synchronized TierStats stats() {
        if (!inPass) {
            collect();
        }
        return stats;
    }

    @Override
    public boolean fixedAddresses() {
        return false;
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

    private void closeOwned() {
        for (AutoCloseable r : owned.reversed()) {
            try {
                r.close();
            } catch (Exception ignored) {
                // freeing the rest matters more than the first failure here
            }
        }
        owned.clear();
    }

    /** Waits for copies and reads in flight, frees the ring, staging, tier B memory and storage sources. */
    @Override
    public void close() {
        if (copyStream != null) {
            copyStream.synchronize();
        }
        for (CompletableFuture<?> f : readDone) {
            if (f != null) {
                f.exceptionally(e -> null).join();
            }
        }
        closeOwned();
        for (WeightSource s : sources) {
            try {
                s.close();
            } catch (IOException ignored) {
                // a read-only source has nothing to lose on close
            }
        }
    }
}
