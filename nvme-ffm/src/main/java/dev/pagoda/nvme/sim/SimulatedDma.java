package dev.pagoda.nvme.sim;

import dev.pagoda.nvme.dma.DmaAllocator;
import dev.pagoda.nvme.dma.DmaRegion;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * DMA memory for the simulated controller: ordinary host memory given made-up bus addresses
 * (from 64 GiB up, never the host address), which the model resolves back to memory. A bus
 * address the driver did not get from here resolves to nothing, as an IOMMU fault would.
 */
public final class SimulatedDma implements DmaAllocator {
    private static final long PAGE = 4096;
    private static final long BUS_BASE = 64L << 30;

    private final Arena arena = Arena.ofShared();
    private final ConcurrentSkipListMap<Long, MemorySegment> byBus = new ConcurrentSkipListMap<>();
    private long nextBus = BUS_BASE;

    @Override
    public synchronized DmaRegion allocate(long bytes) throws IOException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("DMA allocation of " + bytes + " bytes");
        }
        long size = (bytes + PAGE - 1) / PAGE * PAGE;
        MemorySegment host = arena.allocate(size, PAGE);
        long bus = nextBus;
        // A guard page between regions: a transfer running off one region finds nothing mapped.
        nextBus += size + PAGE;
        byBus.put(bus, host);
        long[] pages = new long[(int) (size / PAGE)];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = bus + i * PAGE;
        }
        return new DmaRegion(host, pages, PAGE);
    }

    /** The memory at bus address [bus, bus + length), or null when any of it is unmapped. */
    MemorySegment resolve(long bus, long length) {
        Map.Entry<Long, MemorySegment> e = byBus.floorEntry(bus);
        if (e == null) {
            return null;
        }
        long offset = bus - e.getKey();
        if (offset + length > e.getValue().byteSize()) {
            return null;
        }
        return e.getValue().asSlice(offset, length);
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
    public void close() {
        byBus.clear();
        arena.close();
    }
}
