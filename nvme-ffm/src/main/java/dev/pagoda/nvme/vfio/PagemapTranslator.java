package dev.pagoda.nvme.vfio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Virtual to physical translation through /proc/self/pagemap, for noiommu mode where the device
 * sees physical addresses. Each 64-bit entry: bit 63 page present, bits 0-54 page frame number
 * (zero unless the reader has CAP_SYS_ADMIN). Pages must be locked first, or the answer may
 * go stale the moment it is read.
 */
public final class PagemapTranslator {
    /** Bit 63: page present in RAM. */
    public static final long PRESENT = 1L << 63;
    /** Bit 62: page swapped. */
    public static final long SWAPPED = 1L << 62;
    /** Bits 0-54: page frame number. */
    public static final long PFN_MASK = (1L << 55) - 1;
    /** The kernel's pagemap, which describes the reading process. */
    public static final Path SELF = Path.of("/proc/self/pagemap");

    private final Path pagemap;
    private final long pageSize;

    public PagemapTranslator(Path pagemap, long pageSize) {
        this.pagemap = pagemap;
        this.pageSize = pageSize;
    }

    /** The physical address of {@code virtualAddress}, from one pagemap entry. */
    public static long physicalAddress(long entry, long virtualAddress, long pageSize) {
        if ((entry & PRESENT) == 0) {
            throw new IllegalStateException("page at 0x" + Long.toHexString(virtualAddress)
                    + " is not present (pagemap entry 0x" + Long.toHexString(entry) + "): lock it first");
        }
        long pfn = entry & PFN_MASK;
        if (pfn == 0) {
            throw new IllegalStateException("pagemap hides the frame of 0x" + Long.toHexString(virtualAddress)
                    + ": reading physical addresses needs CAP_SYS_ADMIN");
        }
        return pfn * pageSize + (virtualAddress & (pageSize - 1));
    }

    /** Physical addresses of the {@code pages} pages starting at page-aligned {@code virtualAddress}. */
    public long[] translate(long virtualAddress, int pages) throws IOException {
        long[] physical = new long[pages];
        ByteBuffer entries = ByteBuffer.allocate(pages * 8).order(ByteOrder.nativeOrder());
        try (FileChannel ch = FileChannel.open(pagemap, StandardOpenOption.READ)) {
            long position = virtualAddress / pageSize * 8;
            while (entries.hasRemaining()) {
                if (ch.read(entries, position + entries.position()) <= 0) {
                    throw new IOException("short read of " + pagemap + " at entry offset " + position);
                }
            }
        }
        entries.flip();
        for (int i = 0; i < pages; i++) {
            long va = virtualAddress + i * pageSize;
            physical[i] = physicalAddress(entries.getLong(), va, pageSize);
        }
        return physical;
    }
}
