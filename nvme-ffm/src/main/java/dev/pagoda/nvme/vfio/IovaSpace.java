package dev.pagoda.nvme.vfio;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands out I/O virtual addresses from the ranges VFIO_IOMMU_GET_INFO reported, never from the
 * process's own virtual addresses (the guest IOMMU here has 39 bits; user addresses have 47).
 * Skips the x86 MSI window and the first megabyte, so a zero or tiny bus address is always a bug.
 * Addresses are never reused: regions live until the allocator closes.
 */
public final class IovaSpace {
    /** x86 interrupt message window: DMA writes here are interrupts, not memory. */
    public static final IovaRange MSI_WINDOW = new IovaRange(0xFEE0_0000L, 0xFEEF_FFFFL);
    /** Lowest address handed out. */
    public static final long FLOOR = 1L << 20;

    private final List<IovaRange> free;

    public IovaSpace(List<IovaRange> reported) {
        if (reported.isEmpty()) {
            throw new IllegalArgumentException("the IOMMU reported no usable IOVA range");
        }
        free = new ArrayList<>();
        for (IovaRange r : reported) {
            long start = Math.max(r.start(), FLOOR);
            if (Long.compareUnsigned(start, r.end()) > 0) {
                continue;
            }
            if (start <= MSI_WINDOW.end() && r.end() >= MSI_WINDOW.start()) {
                if (start < MSI_WINDOW.start()) {
                    free.add(new IovaRange(start, MSI_WINDOW.start() - 1));
                }
                if (r.end() > MSI_WINDOW.end()) {
                    free.add(new IovaRange(MSI_WINDOW.end() + 1, r.end()));
                }
            } else {
                free.add(new IovaRange(start, r.end()));
            }
        }
    }

    /** The lowest free address aligned to {@code alignment} with {@code size} bytes after it. */
    public long allocate(long size, long alignment) {
        for (int i = 0; i < free.size(); i++) {
            IovaRange r = free.get(i);
            long base = (r.start() + alignment - 1) & -alignment;
            long last = base + size - 1;
            if (base >= r.start() && last >= base && last <= r.end()) {
                if (last == r.end()) {
                    free.remove(i);
                } else {
                    free.set(i, new IovaRange(last + 1, r.end()));
                }
                return base;
            }
        }
        throw new IllegalStateException("no IOVA space left for " + size + " bytes aligned to " + alignment
                + "; free ranges: " + free);
    }
}
