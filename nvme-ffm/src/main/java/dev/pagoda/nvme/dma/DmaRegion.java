package dev.pagoda.nvme.dma;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Host memory the device can read and write, with the bus address of every page.
 *
 * @param segment      the host view, page aligned, a whole number of pages
 * @param pageBus      bus address of each page of {@code segment}
 * @param pageSize     the page size the bus addresses are given in (a power of two)
 */
public record DmaRegion(MemorySegment segment, long[] pageBus, long pageSize) {
    public DmaRegion {
        Objects.requireNonNull(segment, "segment");
        if (Long.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size " + pageSize + " is not a power of two");
        }
        if (segment.byteSize() % pageSize != 0 || segment.byteSize() / pageSize != pageBus.length) {
            throw new IllegalArgumentException("DMA region of " + segment.byteSize() + " bytes does not match "
                    + pageBus.length + " pages of " + pageSize + " bytes");
        }
        if (segment.address() % pageSize != 0) {
            throw new IllegalArgumentException("DMA region at 0x" + Long.toHexString(segment.address())
                    + " is not aligned to " + pageSize + " bytes");
        }
    }

    /** The bus address of the byte at {@code offset}. */
    public long busAddress(long offset) {
        Objects.checkIndex(offset, segment.byteSize());
        return pageBus[(int) (offset / pageSize)] + (offset & (pageSize - 1));
    }

    /** Whether bytes [offset, offset + length) are contiguous on the bus (queues need this). */
    public boolean busContiguous(long offset, long length) {
        long first = offset / pageSize;
        long last = (offset + length - 1) / pageSize;
        for (long p = first + 1; p <= last; p++) {
            if (pageBus[(int) p] != pageBus[(int) p - 1] + pageSize) {
                return false;
            }
        }
        return true;
    }

    /** Size in bytes. */
    public long byteSize() {
        return segment.byteSize();
    }
}
