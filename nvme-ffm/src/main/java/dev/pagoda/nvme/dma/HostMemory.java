package dev.pagoda.nvme.dma;

import dev.pagoda.nvme.ffm.Libc;
import dev.pagoda.nvme.ffm.NativeCallException;
import dev.pagoda.nvme.ffm.raw.libc_h;
import java.lang.foreign.MemorySegment;

/** Anonymous, populated, page-aligned host memory: 2 MiB hugepages when the system has them. */
public final class HostMemory {
    private HostMemory() {}

    /** Size of an x86-64 huge page. */
    public static final long HUGE_PAGE = 2L << 20;

    /**
     * Maps {@code bytes} (rounded up to the page size) of private anonymous memory, populated so
     * every page exists before the device sees it. Tries hugepages first for sizes of at least one
     * huge page, and falls back to normal pages when none are reserved (ENOMEM).
     */
    public static MemorySegment map(long bytes) throws NativeCallException {
        int flags = libc_h.MAP_PRIVATE | libc_h.MAP_ANONYMOUS | libc_h.MAP_POPULATE;
        int prot = libc_h.PROT_READ | libc_h.PROT_WRITE;
        if (bytes >= HUGE_PAGE) {
            long huge = roundUp(bytes, HUGE_PAGE);
            try {
                return Libc.mmap(huge, prot, flags | libc_h.MAP_HUGETLB, -1, 0, "hugepage DMA memory");
            } catch (NativeCallException e) {
                // No hugepages reserved (vm.nr_hugepages = 0): normal pages work, only the TLB suffers.
            }
        }
        return Libc.mmap(roundUp(bytes, Libc.pageSize()), prot, flags, -1, 0, "DMA memory");
    }

    static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }
}
