package dev.pagoda.nvme.dma;

import java.io.IOException;

/** Hands out {@link DmaRegion}s; closing it unmaps and frees every region it made. */
public interface DmaAllocator extends AutoCloseable {
    /** A zeroed region of at least {@code bytes}, rounded up to whole pages of {@link #pageSize()}. */
    DmaRegion allocate(long bytes) throws IOException;

    /** The page size of the bus addresses; queues and PRPs are built in this unit. */
    long pageSize();

    /** Whether every region is contiguous on the bus (true behind an IOMMU). */
    boolean contiguous();

    @Override
    void close() throws IOException;
}
