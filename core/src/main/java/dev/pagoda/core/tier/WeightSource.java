package dev.pagoda.core.tier;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where tier C weights are read from: a file through the kernel ({@link DirectFileSource}), a
 * mapping ({@link MappedFileSource}), or any byte-addressed source of nvme-ffm
 * ({@link BlockSourceWeightSource}, e.g. the VFIO NVMe driver's namespace reader). Offsets are
 * absolute in the source, as {@code GgufFile.fileOffset} gives them.
 */
public interface WeightSource extends AutoCloseable {

    /** For logs: the path and how it is read. */
    String describe();

    /** Bytes in the source. */
    long size();

    /**
     * Alignment of offsets, lengths and destination addresses that lets the source read straight
     * into the destination (O_DIRECT's block size); 1 when any will do. Unaligned reads still work,
     * through a bounce buffer.
     */
    int alignment();

    /**
     * Reads bytes [fileOffset, fileOffset + length) into dst[0, length), blocking.
     *
     * @throws IOException naming the source and offset when the read fails or the source ends early
     */
    void read(long fileOffset, MemorySegment dst, long length) throws IOException;

    /**
     * Starts {@code requests}, several in flight at once; the future completes when all are done,
     * or exceptionally with the first failure.
     */
    CompletableFuture<Void> submit(List<ReadRequest> requests);

    @Override
    void close() throws IOException;
}
