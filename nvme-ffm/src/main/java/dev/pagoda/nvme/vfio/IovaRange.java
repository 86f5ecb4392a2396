package dev.pagoda.nvme.vfio;

/** An inclusive range of I/O virtual addresses the IOMMU accepts (struct vfio_iova_range). */
public record IovaRange(long start, long end) {
    public IovaRange {
        if (Long.compareUnsigned(end, start) < 0) {
            throw new IllegalArgumentException("IOVA range end 0x" + Long.toHexString(end)
                    + " below start 0x" + Long.toHexString(start));
        }
    }
}
