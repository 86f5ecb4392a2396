package dev.pagoda.nvme.vfio;

import dev.pagoda.nvme.dma.DmaAllocator;
import dev.pagoda.nvme.dma.DmaRegion;
import dev.pagoda.nvme.dma.HostMemory;
import dev.pagoda.nvme.ffm.Libc;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * DMA memory without an IOMMU: locked anonymous memory whose physical page addresses come from
 * /proc/self/pagemap. Pages are not contiguous in general; queues larger than a page need a
 * hugepage. Not exercised against a controller: the test kernel lacks CONFIG_VFIO_NOIOMMU.
 */
final class NoIommuDmaAllocator implements DmaAllocator {
    private final PagemapTranslator pagemap;
    private final long pageSize;
    private final List<MemorySegment> mappings = new ArrayList<>();

    NoIommuDmaAllocator(PagemapTranslator pagemap) {
        this.pagemap = pagemap;
        this.pageSize = Libc.pageSize();
    }

    @Override
    public DmaRegion allocate(long bytes) throws IOException {
        MemorySegment host = HostMemory.map(bytes);
        mappings.add(host);
        // Locked pages stay resident at one physical address (no swap, no migration by compaction
        // of mlocked pages on the kernels vfio noiommu supports).
        Libc.mlock(host);
        long[] pages = pagemap.translate(host.address(), (int) (host.byteSize() / pageSize));
        return new DmaRegion(host, pages, pageSize);
    }

    @Override
    public long pageSize() {
        return pageSize;
    }

    @Override
    public boolean contiguous() {
        return false;
    }

    @Override
    public void close() throws IOException {
        for (MemorySegment m : mappings.reversed()) {
            Libc.munmap(m);
        }
        mappings.clear();
    }
}
