package dev.pagoda.core.tier;

import dev.pagoda.gguf.GgufFile;
import dev.pagoda.gguf.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletionException;

/**
 * Measures the storage read rate a tier C run will get, before it starts: the plan's first tier C
 * layers read from the model file exactly as the streamers read them (one request per tensor, widened
 * to whole storage blocks, into a block-aligned staging window, cut into {@link ParallelReads#CHUNK}
 * requests on the source's threads, so the same request sizes and queue depth), through a source
 * opened the same way. The rate replaces the assumed one in the plan, so the predicted speed and the
 * storage bound a run reports are this machine's, measured in the same run.
 */
public final class StorageProbe {
    /** Tier C layers read: two, so that one slow first request does not decide the rate. */
    static final int LAYERS = 2;
    /** Chunk-sized reads before timing: one per reader thread the streamers use. */
    private static final int WARM_UP_REQUESTS = 4;

    private StorageProbe() {}

    /**
     * Bytes per second of reading up to {@value #LAYERS} of {@code plan}'s tier C layers from
     * {@code file} through a source {@code storage} opens (closed again here); empty when no layer is
     * tier C.
     *
     * @throws IOException when a read fails (naming the file and offset)
     */
    public static OptionalDouble measure(GgufFile file, TierPlan plan, LayerStreamer.StorageOpener storage)
            throws IOException {
        List<LayerFootprint.Layer> layers = new ArrayList<>();
        LayerFootprint footprint = LayerFootprint.of(file.tensors());
        for (TierPlan.LayerPlacement p : plan.layers()) {
            if (p.tier() == Tier.C && layers.size() < LAYERS) {
                layers.add(footprint.layers().get(p.layer()));
            }
        }
        if (layers.isEmpty()) {
            return OptionalDouble.empty();
        }
        int shard = layers.getFirst().tensors().getFirst().shard();
        layers.removeIf(l -> l.tensors().stream().anyMatch(t -> t.shard() != shard));
        int block = plan.storageBlock();
        try (WeightSource source = storage.open(file.shardPath(shard)); Arena arena = Arena.ofShared()) {  // the source's threads write into it
            long bytes = 0;
            long nanos = 0;
            long stagingBytes = layers.stream().mapToLong(l -> LayerLayout.stagingBytes(l.tensors(), block)).max()
                    .orElseThrow();
            MemorySegment staging = arena.allocate(stagingBytes, Math.max(block, source.alignment()));
            // untimed: the first chunks start the source's threads and its native call paths
            List<ReadRequest> first = reads(file, layers.getFirst().tensors(), source.size(), block, staging);
            List<ReadRequest> warmUp = new ArrayList<>();
            for (ReadRequest r : first.subList(0, Math.min(WARM_UP_REQUESTS, first.size()))) {
                long n = Math.min(r.length(), ParallelReads.CHUNK);
                warmUp.add(new ReadRequest(r.fileOffset(), r.dst().asSlice(0, LayerLayout.alignUp(n, block)), n));
            }
            join(source, source.submit(warmUp), layers.getFirst());
            for (LayerFootprint.Layer layer : layers) {
                List<ReadRequest> requests = reads(file, layer.tensors(), source.size(), block, staging);
                long t0 = System.nanoTime();
                join(source, source.submit(requests), layer);
                nanos += System.nanoTime() - t0;
                bytes += requests.stream().mapToLong(ReadRequest::length).sum();
            }
            return OptionalDouble.of(bytes * 1e9 / Math.max(1, nanos));
        }
    }

    private static void join(WeightSource source, java.util.concurrent.CompletableFuture<Void> reads,
            LayerFootprint.Layer layer) throws IOException {
        try {
            reads.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw new IOException("measuring storage: reading blk." + layer.index() + " from " + source.describe()
                        + ": " + u.getCause().getMessage(), u.getCause());
            }
            throw e;
        }
    }

    /** The requests reading {@code tensors} into their block-aligned windows of {@code staging}, as the streamers issue them. */
    private static List<ReadRequest> reads(GgufFile file, List<TensorInfo> tensors, long fileSize, int block,
            MemorySegment staging) {
        long[] windows = LayerLayout.stagingOffsets(tensors, block);
        List<ReadRequest> requests = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            long offset = file.fileOffset(tensors.get(i));
            long start = offset / block * block;
            long end = Math.min(fileSize, LayerLayout.alignUp(offset + tensors.get(i).byteSize(), block));
            requests.add(new ReadRequest(start, staging.asSlice(windows[i], windows[i + 1] - windows[i]), end - start));
        }
        return requests;
    }
}
