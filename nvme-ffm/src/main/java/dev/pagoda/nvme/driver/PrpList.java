package dev.pagoda.nvme.driver;

import dev.pagoda.nvme.dma.DmaRegion;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Physical Region Page entries for one transfer (NVMe base specification, "Physical Region Page
 * Entry and List"). PRP1 points at the first byte and may carry an offset into its page; PRP2 is
 * empty when the transfer fits the first page, the second page when it fits two, and otherwise
 * the bus address of a list naming every further page.
 */
public final class PrpList {
    private PrpList() {}

    /** PRP1: the bus address of the transfer's first byte. */
    public static long prp1(DmaRegion data, long offset) {
        return data.busAddress(offset);
    }

    /**
     * PRP2 for {@code length} bytes at {@code offset} of {@code data}, filling {@code list} (whose
     * first byte is at {@code listBus}) when more than two pages are touched.
     *
     * @param pageSize the controller's memory page size (CC.MPS)
     */
    public static long prp2(DmaRegion data, long offset, long length, long pageSize,
                            MemorySegment list, long listBus) {
        if (length <= 0 || offset + length > data.byteSize()) {
            throw new IllegalArgumentException("transfer of " + length + " bytes at offset " + offset
                    + " does not fit a DMA region of " + data.byteSize() + " bytes");
        }
        long first = data.busAddress(offset);
        long firstPageBytes = pageSize - (first & (pageSize - 1));
        if (length <= firstPageBytes) {
            return 0;
        }
        long rest = length - firstPageBytes;
        long next = offset + firstPageBytes;
        if (rest <= pageSize) {
            return data.busAddress(next);
        }
        long pages = (rest + pageSize - 1) / pageSize;
        if (pages * ValueLayout.JAVA_LONG.byteSize() > list.byteSize()) {
            throw new IllegalArgumentException("transfer of " + length + " bytes needs " + pages
                    + " PRP list entries; one list page holds " + list.byteSize() / 8);
        }
        for (long i = 0; i < pages; i++) {
            list.set(ValueLayout.JAVA_LONG, i * 8, data.busAddress(next + i * pageSize));
        }
        return listBus;
    }
}
