package dev.pagoda.nvme.driver;

import static dev.pagoda.nvme.spec.ControllerRegisters.*;
import static dev.pagoda.nvme.spec.QueueCommandFields.*;

import dev.pagoda.nvme.dma.DmaAllocator;
import dev.pagoda.nvme.dma.DmaRegion;
import dev.pagoda.nvme.spec.CompletionQueueEntry;
import dev.pagoda.nvme.spec.SubmissionQueueEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * An NVMe controller brought up by this process: the admin queue, the controller's identity and
 * a set of polled I/O queue pairs. Closing deletes the I/O queues and performs a normal shutdown
 * (CC.SHN) so the controller flushes and reports CSTS.SHST complete. The admin queue is used under
 * this object's lock; each I/O queue pair by one thread at a time.
 */
public final class NvmeController implements AutoCloseable {
    private final RegisterFile registers;
    private final ControllerCapabilities capabilities;
    private final DmaAllocator dma;
    private final long pageSize;
    private final QueuePair admin;
    private final DmaRegion identifyBuffer;
    private final ControllerIdentity identity;
    private final List<QueuePair> ioQueues = new ArrayList<>();
    private final long maxTransferBytes;
    private boolean closed;

    private NvmeController(RegisterFile registers, ControllerCapabilities capabilities, DmaAllocator dma,
                           long pageSize, QueuePair admin, DmaRegion identifyBuffer, ControllerIdentity identity,
                           long maxTransferBytes) {
        this.registers = registers;
        this.capabilities = capabilities;
        this.dma = dma;
        this.pageSize = pageSize;
        this.admin = admin;
        this.identifyBuffer = identifyBuffer;
        this.identity = identity;
        this.maxTransferBytes = maxTransferBytes;
    }

    /**
     * Resets and enables the controller behind {@code registers}, identifies it and creates the I/O
     * queues. {@code dma} must stay open until this controller is closed.
     */
    public static NvmeController start(RegisterFile registers, DmaAllocator dma, ControllerOptions options)
            throws IOException {
        ControllerCapabilities caps = ControllerCapabilities.decode(registers.read64(CAP));
        if (!caps.nvmCommandSet()) {
            throw new ControllerStartupException("controller does not support the NVM command set (CAP.CSS)");
        }
        long pageSize = dma.pageSize();
        if (pageSize < caps.minPageSize() || pageSize > caps.maxPageSize()) {
            throw new ControllerStartupException("host DMA page size " + pageSize + " is outside the controller's "
                    + caps.minPageSize() + " - " + caps.maxPageSize());
        }
        long timeoutNanos = options.commandTimeout().toNanos();
        int adminDepth = Math.min(ControllerOptions.ADMIN_QUEUE_DEPTH, caps.maxQueueEntries());
        DmaRegion asq = queueMemory(dma, (long) adminDepth * SubmissionQueueEntry.SIZE, caps);
        DmaRegion acq = queueMemory(dma, (long) adminDepth * CompletionQueueEntry.SIZE, caps);
        DmaRegion adminPrp = dma.allocate((adminDepth - 1) * pageSize);
        QueuePair admin = new QueuePair(0, registers, asq, acq, adminDepth, adminPrp, pageSize, timeoutNanos);
        new ControllerStartup(registers, caps, new ControllerStartup.AdminQueueSetup(
                asq.busAddress(0), acq.busAddress(0), adminDepth, Long.numberOfTrailingZeros(pageSize))).run();

        DmaRegion identifyBuffer = dma.allocate(IDENTIFY_DATA_SIZE);
        adminSync(admin, AllowedCommand.IDENTIFY, 0, identifyBuffer.busAddress(0), CNS_CONTROLLER, 0, 0, "Identify Controller");
        ControllerIdentity identity = ControllerIdentity.decode(identifyBuffer.segment());
        // Each command's PRP list is one page: it reaches pageSize / 8 pages beyond the first.
        long listReach = pageSize / 8 * pageSize;
        long maxTransfer = Math.min(identity.maxTransferBytes(caps.minPageSize()), listReach);
        NvmeController c = new NvmeController(registers, caps, dma, pageSize, admin, identifyBuffer, identity, maxTransfer);
        try {
            int depth = Math.min(options.ioQueueDepth(), caps.maxQueueEntries());
            for (int qid = 1; qid <= options.ioQueuePairs(); qid++) {
                c.createIoQueuePair(qid, depth, timeoutNanos);
            }
        } catch (IOException | RuntimeException e) {
            try {
                c.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return c;
    }

    private static DmaRegion queueMemory(DmaAllocator dma, long bytes, ControllerCapabilities caps) throws IOException {
        DmaRegion r = dma.allocate(bytes);
        if (caps.contiguousQueues() && !r.busContiguous(0, bytes)) {
            throw new ControllerStartupException("the controller needs physically contiguous queues (CAP.CQR) and a "
                    + bytes + "-byte queue is not contiguous: use hugepages or a smaller queue depth");
        }
        return r;
    }

    private void createIoQueuePair(int qid, int depth, long timeoutNanos) throws IOException {
        DmaRegion cq = queueMemory(dma, (long) depth * CompletionQueueEntry.SIZE, capabilities);
        DmaRegion sq = queueMemory(dma, (long) depth * SubmissionQueueEntry.SIZE, capabilities);
        DmaRegion prp = dma.allocate((depth - 1) * pageSize);
        int cdw10 = (depth - 1) << CDW10_QSIZE_SHIFT | qid << CDW10_QID_SHIFT;
        adminSync(AllowedCommand.CREATE_IO_COMPLETION_QUEUE, 0, cq.busAddress(0), cdw10, 1 << CQ_CDW11_PC_SHIFT,
                "Create I/O Completion Queue " + qid);
        adminSync(AllowedCommand.CREATE_IO_SUBMISSION_QUEUE, 0, sq.busAddress(0), cdw10,
                qid << SQ_CDW11_CQID_SHIFT | 1 << SQ_CDW11_PC_SHIFT, "Create I/O Submission Queue " + qid);
        ioQueues.add(new QueuePair(qid, registers, sq, cq, depth, prp, pageSize, timeoutNanos));
    }

    private synchronized void adminSync(AllowedCommand command, int nsid, long prp1, int cdw10, int cdw11, String what)
            throws NvmeException {
        adminSync(admin, command, nsid, prp1, cdw10, cdw11, 0, what);
    }

    private static void adminSync(QueuePair admin, AllowedCommand command, int nsid, long prp1, int cdw10, int cdw11,
                                  int cdw12, String what) throws NvmeException {
        admin.submit(command, nsid, prp1, 0, cdw10, cdw11, cdw12, 0);
        int[] result = {-1};
        admin.drain((tag, status, cid) -> result[0] = status);
        if (!CompletionStatus.isSuccess(result[0])) {
            throw CompletionStatus.decode(result[0]).toException(what);
        }
    }

    /** Identify Namespace {@code nsid}. */
    public synchronized NamespaceIdentity namespace(int nsid) throws NvmeException {
        if (nsid < 1 || Integer.compareUnsigned(nsid, identity.namespaceCount()) > 0) {
            throw new IllegalArgumentException("namespace " + nsid + " outside 1 - " + identity.namespaceCount());
        }
        identifyBuffer.segment().fill((byte) 0);
        adminSync(AllowedCommand.IDENTIFY, nsid, identifyBuffer.busAddress(0), CNS_NAMESPACE, 0,
                "Identify Namespace " + nsid);
        return NamespaceIdentity.decode(nsid, identifyBuffer.segment());
    }

    /** The Identify Controller data. */
    public ControllerIdentity identity() {
        return identity;
    }

    /** The decoded CAP register. */
    public ControllerCapabilities capabilities() {
        return capabilities;
    }

    /** The memory page size (CC.MPS) in use. */
    public long pageSize() {
        return pageSize;
    }

    /** The largest single transfer: MDTS, bounded by what one PRP list page reaches. */
    public long maxTransferBytes() {
        return maxTransferBytes;
    }

    /** The DMA allocator the controller's buffers come from. */
    public DmaAllocator dma() {
        return dma;
    }

    /** I/O queue pairs created, numbered from 0 here (queue identifiers from 1). */
    public int ioQueueCount() {
        return ioQueues.size();
    }

    /** I/O queue pair {@code index}; use each from one thread at a time. */
    public QueuePair ioQueue(int index) {
        return ioQueues.get(index);
    }

    /**
     * Deletes the I/O queues and shuts the controller down normally (CC.SHN = 01b), waiting for
     * CSTS.SHST = complete within CAP.TO.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        NvmeException first = null;
        for (QueuePair q : ioQueues.reversed()) {
            try {
                adminSync(AllowedCommand.DELETE_IO_SUBMISSION_QUEUE, 0, 0, q.id(), 0, "Delete I/O Submission Queue " + q.id());
                adminSync(AllowedCommand.DELETE_IO_COMPLETION_QUEUE, 0, 0, q.id(), 0, "Delete I/O Completion Queue " + q.id());
            } catch (NvmeException e) {
                first = first == null ? e : first;
            }
        }
        ioQueues.clear();
        int cc = registers.read32(CC);
        registers.write32(CC, (cc & ~(CC_SHN_MASK << CC_SHN_SHIFT)) | CC_SHN_NORMAL << CC_SHN_SHIFT);
        long deadline = System.nanoTime() + Math.max(capabilities.timeoutMillis(), 1000) * 1_000_000L;
        while (true) {
            int csts = registers.read32(CSTS);
            if (csts == ALL_ONES || ((csts >>> CSTS_CFS_SHIFT) & CSTS_CFS_MASK) != 0) {
                throw new ControllerFatalException("fatal status during shutdown, CSTS 0x" + Integer.toHexString(csts));
            }
            if (((csts >>> CSTS_SHST_SHIFT) & CSTS_SHST_MASK) == CSTS_SHST_COMPLETE) {
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new NvmeTimeoutException("shutdown did not complete within CAP.TO; CSTS 0x" + Integer.toHexString(csts));
            }
            LockSupport.parkNanos(50_000);
        }
        if (first != null) {
            throw first;
        }
    }

    /** Whether CSTS.SHST reports a completed shutdown. */
    public boolean shutdownComplete() {
        int csts = registers.read32(CSTS);
        return ((csts >>> CSTS_SHST_SHIFT) & CSTS_SHST_MASK) == CSTS_SHST_COMPLETE;
    }
}
