package dev.pagoda.nvme.vfio;

import static dev.pagoda.nvme.ffm.raw.vfio_h.*;

import dev.pagoda.nvme.dma.DmaAllocator;
import dev.pagoda.nvme.dma.DmaRegion;
import dev.pagoda.nvme.dma.HostMemory;
import dev.pagoda.nvme.ffm.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * DMA memory behind a type-1 IOMMU: anonymous memory (hugepages when available) mapped with
 * VFIO_IOMMU_MAP_DMA at an IOVA from {@link IovaSpace}; the kernel pins the pages while mapped.
 */
final class Type1DmaAllocator implements DmaAllocator {
    private static final long PAGE = 4096;

    private record Mapping(MemorySegment host, long iova) {}

    private final int container;
    private final IovaSpace space;
    private final List<Mapping> mappings = new ArrayList<>();

    Type1DmaAllocator(int container, IovaSpace space) {
        this.container = container;
        this.space = space;
    }

    @Override
    public DmaRegion allocate(long bytes) throws IOException {
        MemorySegment host = HostMemory.map(bytes);
        long align = host.byteSize() >= HostMemory.HUGE_PAGE ? HostMemory.HUGE_PAGE : PAGE;
        long iova = space.allocate(host.byteSize(), align);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment map = arena.allocate(vfio_iommu_type1_dma_map);
            map.set(ValueLayout.JAVA_INT, VfioPciDevice.offset(vfio_iommu_type1_dma_map, "argsz"), (int) vfio_iommu_type1_dma_map.byteSize());
            map.set(ValueLayout.JAVA_INT, VfioPciDevice.offset(vfio_iommu_type1_dma_map, "flags"),
                    VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
            map.set(ValueLayout.JAVA_LONG, VfioPciDevice.offset(vfio_iommu_type1_dma_map, "vaddr"), host.address());
            map.set(ValueLayout.JAVA_LONG, VfioPciDevice.offset(vfio_iommu_type1_dma_map, "iova"), iova);
            map.set(ValueLayout.JAVA_LONG, VfioPciDevice.offset(vfio_iommu_type1_dma_map, "size"), host.byteSize());
            try {
                Libc.ioctl(container, VFIO_IOMMU_MAP_DMA, map, "VFIO_IOMMU_MAP_DMA");
            } catch (IOException e) {
                Libc.munmap(host);
                throw e;
            }
        }
        mappings.add(new Mapping(host, iova));
        long[] pages = new long[(int) (host.byteSize() / PAGE)];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = iova + i * PAGE;
        }
        return new DmaRegion(host, pages, PAGE);
    }

    @Override
    public long pageSize() {
        return PAGE;
    }

    @Override
    public boolean contiguous() {
        return true;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment unmap = arena.allocate(vfio_iommu_type1_dma_unmap);
            for (Mapping m : mappings.reversed()) {
                unmap.fill((byte) 0);
                unmap.set(ValueLayout.JAVA_INT, 0, (int) vfio_iommu_type1_dma_unmap.byteSize());
                unmap.set(ValueLayout.JAVA_LONG, VfioPciDevice.offset(vfio_iommu_type1_dma_unmap, "iova"), m.iova());
                unmap.set(ValueLayout.JAVA_LONG, VfioPciDevice.offset(vfio_iommu_type1_dma_unmap, "size"), m.host().byteSize());
                try {
                    Libc.ioctl(container, VFIO_IOMMU_UNMAP_DMA, unmap, "VFIO_IOMMU_UNMAP_DMA");
                    Libc.munmap(m.host());
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
        }
        mappings.clear();
        if (first != null) {
            throw first;
        }
    }
}
