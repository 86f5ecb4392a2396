package dev.pagoda.core.tier.nvme;

import dev.pagoda.core.tier.LayerStreamer;
import dev.pagoda.core.tier.ReadRequest;
import dev.pagoda.core.tier.WeightSource;
import dev.pagoda.nvme.manifest.ModelManifest;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Tier C read through the userspace NVMe driver: the model file's layers come from its namespace
 * by way of its extent manifest ({@link NvmeFileReader}), DMA'd into the driver's pinned bounce
 * slots and copied into the streamer's staging buffers. The layer streamer's requests are cut
 * into chunks spread over the controller's I/O queues, each queue keeping its own commands in
 * flight. Any offset, length and address will do.
 */
public final class NvmeWeightSource implements WeightSource {
    private final NvmeFileReader reader;

    public NvmeWeightSource(NvmeFileReader reader) {
        this.reader = reader;
    }

    /**
     * Opens tier C storage for {@code modelFile} on the controller {@code manifest} names (bound to
     * vfio-pci), after checking the manifest belongs to that file and the extents still hold it.
     */
    public static NvmeWeightSource open(Path modelFile, ModelManifest manifest) throws IOException {
        return new NvmeWeightSource(NvmeFileReader.open(modelFile, manifest, NvmeFileReader.DEFAULT_QUEUE_PAIRS));
    }

    /**
     * What the layer streamer opens tier C with: the model's one file through {@code manifest}. A
     * manifest covers one file, so a split model (several shards) is refused naming the shard.
     */
    public static LayerStreamer.StorageOpener opener(ModelManifest manifest) {
        Path[] first = new Path[1];
        return file -> {
            if (first[0] != null && !first[0].equals(file)) {
                throw new IOException("an NVMe manifest covers one file, but the model's tier C layers are also in "
                        + file + " (after " + first[0] + "): split models cannot be read through the NVMe driver");
            }
            first[0] = file;
            return open(file, manifest);
        };
    }

    /** The reader, for its statistics. */
    public NvmeFileReader reader() {
        return reader;
    }

    @Override
    public String describe() {
        return reader.describe();
    }

    @Override
    public long size() {
        return reader.size();
    }

    @Override
    public int alignment() {
        return 1;
    }

    @Override
    public void read(long fileOffset, MemorySegment dst, long length) throws IOException {
        reader.read(fileOffset, dst, length);
    }

    @Override
    public CompletableFuture<Void> submit(List<ReadRequest> requests) {
        return CompletableFuture.allOf(requests.stream()
                .map(r -> reader.readAsync(r.fileOffset(), r.dst(), r.length()))
                .toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
