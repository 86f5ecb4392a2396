package dev.pagoda.nvme.source;

import dev.pagoda.nvme.dma.DmaRegion;
import dev.pagoda.nvme.driver.CompletionStatus;
import dev.pagoda.nvme.driver.NamespaceIdentity;
import dev.pagoda.nvme.driver.NvmeController;
import dev.pagoda.nvme.driver.NvmeException;
import dev.pagoda.nvme.driver.QueuePair;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Reads any byte range of a namespace through one I/O queue pair: the range is widened to whole
 * logical blocks, cut into commands of at most the controller's maximum transfer, kept up to
 * {@code slots} commands in flight, and each command's data is copied out of its DMA bounce
 * slot into the destination as it completes. Not thread-safe: one reader per thread, each on its
 * own queue pair.
 */
public final class NamespaceReader implements BlockSource {
    private final QueuePair queue;
    private final NamespaceIdentity namespace;
    private final DmaRegion bounce;
    private final int slots;
    private final long chunkBytes;
    private final int blockSize;
    // Per slot: where its data goes. Filled at submission, used at completion.
    private final long[] slotDeviceStart;
    private final long[] slotLength;
    private final int[] freeSlots;
    private int freeTop;
    private MemorySegment currentDst;
    private long currentOffset;
    private long currentLength;
    private NvmeException firstError;

    /**
     * @param queueIndex which of the controller's I/O queue pairs this reader owns
     * @param slots      commands kept in flight (queue depth), at most the queue's capacity
     * @param chunkBytes bytes per command, a multiple of the block and page size, at most the maximum transfer
     */
    public NamespaceReader(NvmeController controller, int nsid, int queueIndex, int slots, long chunkBytes)
            throws IOException {
        this.queue = controller.ioQueue(queueIndex);
        this.namespace = controller.namespace(nsid);
        if (namespace.metadataSize() != 0) {
            throw new IOException("namespace " + nsid + " interleaves " + namespace.metadataSize()
                    + " metadata bytes per block; only plain formats are read");
        }
        this.blockSize = namespace.blockSize();
        if (slots < 1 || slots > queue.capacity()) {
            throw new IllegalArgumentException("slots must be 1 to " + queue.capacity() + ", not " + slots);
        }
        long unit = Math.max(blockSize, controller.pageSize());
        if (chunkBytes < unit || chunkBytes % unit != 0 || chunkBytes > controller.maxTransferBytes()
                || chunkBytes / blockSize > 0x1_0000) {
            throw new IllegalArgumentException("chunk of " + chunkBytes + " bytes must be a multiple of " + unit
                    + " and at most " + Math.min(controller.maxTransferBytes(), 0x1_0000L * blockSize));
        }
        this.slots = slots;
        this.chunkBytes = chunkBytes;
        this.bounce = controller.dma().allocate(slots * chunkBytes);
        this.slotDeviceStart = new long[slots];
        this.slotLength = new long[slots];
        this.freeSlots = new int[slots];
        for (int i = 0; i < slots; i++) {
            freeSlots[i] = i;
        }
        this.freeTop = slots;
    }

    /** A reader with 32 slots (or the queue's capacity) of 128 KiB (or the maximum transfer). */
    public static NamespaceReader withDefaults(NvmeController controller, int nsid, int queueIndex) throws IOException {
        int slots = Math.min(32, controller.ioQueue(queueIndex).capacity());
        long chunk = Math.min(128 * 1024, controller.maxTransferBytes());
        return new NamespaceReader(controller, nsid, queueIndex, slots, chunk);
    }

    /** The namespace read. */
    public NamespaceIdentity namespace() {
        return namespace;
    }

    @Override
    public long size() {
        return namespace.byteSize();
    }

    @Override
    public void read(long offset, MemorySegment dst, long length) throws IOException {
        BlockSource.checkRange(size(), offset, dst, length);
        if (length == 0) {
            return;
        }
        currentDst = dst;
        currentOffset = offset;
        currentLength = length;
        firstError = null;
        long next = offset / blockSize * blockSize;
        long end = offset + length;
        int idle = 0;
        while (next < end || queue.inFlight() > 0) {
            while (next < end && freeTop > 0 && firstError == null) {
                int slot = freeSlots[--freeTop];
                long bytes = Math.min(chunkBytes, (end - next + blockSize - 1) / blockSize * blockSize);
                slotDeviceStart[slot] = next;
                slotLength[slot] = bytes;
                queue.submitRead(namespace.nsid(), next / blockSize, (int) (bytes / blockSize),
                        bounce, slot * chunkBytes, bytes, slot);
                next += bytes;
            }
            if (firstError != null && queue.inFlight() == 0) {
                break;
            }
            if (queue.poll(slots, this::complete) == 0) {
                if (++idle % 4096 == 0) {
                    queue.checkHealth();
                }
                Thread.onSpinWait();
            }
        }
        currentDst = null;
        if (firstError != null) {
            throw firstError;
        }
    }

    private void complete(int slot, int status, int cid) {
        freeSlots[freeTop++] = slot;
        if (!CompletionStatus.isSuccess(status)) {
            if (firstError == null) {
                firstError = CompletionStatus.decode(status).toException(queue.describe(cid));
            }
            return;
        }
        long from = Math.max(slotDeviceStart[slot], currentOffset);
        long to = Math.min(slotDeviceStart[slot] + slotLength[slot], currentOffset + currentLength);
        MemorySegment.copy(bounce.segment(), slot * chunkBytes + (from - slotDeviceStart[slot]),
                currentDst, from - currentOffset, to - from);
    }

    /** The bounce memory stays with the controller's allocator, freed when it closes. */
    @Override
    public void close() {
        // Nothing to release per reader: the queue pair and bounce slots belong to the controller.
    }
}
