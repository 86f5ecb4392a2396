package dev.pagoda.core.tier;

import dev.pagoda.nvme.source.BlockSource;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Any nvme-ffm {@link BlockSource} (a file, a raw namespace through the VFIO driver) as a weight
 * source. Block sources need not be thread-safe (a namespace reader owns one queue pair), so
 * reads run on one thread; the source itself keeps its own requests in flight.
 */
public final class BlockSourceWeightSource implements WeightSource {
    private final BlockSource source;
    private final String description;
    private final ParallelReads reads = new ParallelReads(1, "block");

    public BlockSourceWeightSource(BlockSource source, String description) {
        this.source = source;
        this.description = description;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public long size() {
        return source.size();
    }

    @Override
    public int alignment() {
        return 1;
    }

    @Override
    public void read(long fileOffset, MemorySegment dst, long length) throws IOException {
        source.read(fileOffset, dst, length);
    }

    @Override
    public CompletableFuture<Void> submit(List<ReadRequest> requests) {
        return reads.submit(requests, this::read);
    }

    @Override
    public void close() throws IOException {
        reads.close();
        source.close();
    }
}
