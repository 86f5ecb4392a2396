package dev.pagoda.nvme.driver;

import static dev.pagoda.nvme.spec.ControllerRegisters.CSTS;
import static dev.pagoda.nvme.spec.ControllerRegisters.CSTS_CFS_MASK;
import static dev.pagoda.nvme.spec.ControllerRegisters.CSTS_CFS_SHIFT;

import dev.pagoda.nvme.dma.DmaRegion;
import dev.pagoda.nvme.spec.CompletionQueueEntry;
import dev.pagoda.nvme.spec.ControllerRegisters;
import dev.pagoda.nvme.spec.SubmissionQueueEntry;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A submission queue and its completion queue, polled. Not thread-safe: one thread at a time
 * submits and polls (give each thread its own pair). At most depth - 1 commands are in flight, so
 * neither queue can overflow. Completions are taken while the entry's phase tag matches ours, the
 * phase flips when the head wraps, one poll takes at most a given number, and a full fence
 * orders the entry's stores before the tail doorbell write.
 */
public final class QueuePair {
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();

    // ---- Hot: every field below is touched on each submit or poll. ----
    private final RegisterFile registers;
    private final int submissionDoorbell;
    private final int completionDoorbell;
    private final MemorySegment submissionQueue;
    private final MemorySegment completionQueue;
    private final int depth;
    private int sqTail;
    private int cqHead;
    private int phase = 1;
    private int inFlight;
    private final int[] freeCids;
    private int freeTop;
    private final int[] tags;
    private final long[] deadlines;
    private final MemorySegment prpLists;
    private final DmaRegion prpRegion;
    private final long pageSize;
    private final long timeoutNanos;
    // ---- Cold: fields below this point are not touched on the I/O path. ----
    private final int qid;
    private final int[] commandOpcodes;
    private final long[] commandLbas;
    private final int[] commandBlocks;
    private boolean failed;

    QueuePair(int qid, RegisterFile registers, DmaRegion submissionQueue, DmaRegion completionQueue,
              int depth, DmaRegion prpRegion, long pageSize, long timeoutNanos) {
        this.qid = qid;
        this.registers = registers;
        this.submissionDoorbell = registers.submissionDoorbell(qid);
        this.completionDoorbell = registers.completionDoorbell(qid);
        this.submissionQueue = submissionQueue.segment().asSlice(0, (long) depth * SubmissionQueueEntry.SIZE);
        this.completionQueue = completionQueue.segment().asSlice(0, (long) depth * CompletionQueueEntry.SIZE);
        this.depth = depth;
        this.prpRegion = prpRegion;
        this.prpLists = prpRegion.segment();
        this.pageSize = pageSize;
        this.timeoutNanos = timeoutNanos;
        this.freeCids = new int[depth - 1];
        for (int i = 0; i < freeCids.length; i++) {
            freeCids[i] = freeCids.length - 1 - i;
        }
        this.freeTop = freeCids.length;
        this.tags = new int[depth - 1];
        this.deadlines = new long[depth - 1];
        this.commandOpcodes = new int[depth - 1];
        this.commandLbas = new long[depth - 1];
        this.commandBlocks = new int[depth - 1];
        this.completionQueue.fill((byte) 0);
    }

    /** Queue identifier (0 for the admin queue). */
    public int id() {
        return qid;
    }

    /** Entries in each queue. */
    public int depth() {
        return depth;
    }

    /** The most commands that may be in flight at once (depth - 1). */
    public int capacity() {
        return depth - 1;
    }

    /** Commands submitted and not yet completed. */
    public int inFlight() {
        return inFlight;
    }

    /** Bytes one PRP list of this queue can describe beyond the first page. */
    long prpListReach() {
        return pageSize / 8 * pageSize;
    }

    /**
     * Submits a Read of {@code blocks} logical blocks at {@code lba} into bytes [offset, offset +
     * length) of {@code buffer}; returns the command identifier.
     */
    public int submitRead(int nsid, long lba, int blocks, DmaRegion buffer, long offset, long length, int tag)
            throws NvmeException {
        if (blocks < 1 || blocks > 0x1_0000) {
            throw new IllegalArgumentException("a Read names 1 to 65536 blocks, not " + blocks);
        }
        int cid = takeCid();
        long prp1 = PrpList.prp1(buffer, offset);
        long listOffset = (long) cid * pageSize;
        long prp2 = PrpList.prp2(buffer, offset, length, pageSize, prpLists.asSlice(listOffset, pageSize),
                prpRegion.busAddress(listOffset));
        write(cid, AllowedCommand.READ, nsid, prp1, prp2, (int) lba, (int) (lba >>> 32), blocks - 1, tag);
        commandLbas[cid] = lba;
        commandBlocks[cid] = blocks;
        return cid;
    }

    /** Submits any allowed command for this queue's kind (admin or I/O); returns the command identifier. */
    public int submit(AllowedCommand command, int nsid, long prp1, long prp2, int cdw10, int cdw11, int cdw12, int tag)
            throws NvmeException {
        if (command.admin != (qid == 0)) {
            throw new IllegalArgumentException(command + " is " + (command.admin ? "an admin" : "an I/O")
                    + " command; queue " + qid + " is " + (qid == 0 ? "the admin queue" : "an I/O queue"));
        }
        int cid = takeCid();
        write(cid, command, nsid, prp1, prp2, cdw10, cdw11, cdw12, tag);
        commandLbas[cid] = -1;
        return cid;
    }

    private int takeCid() throws NvmeException {
        if (failed) {
            throw new ControllerFatalException("queue " + qid + " is unusable after an earlier timeout or fatal status");
        }
        if (freeTop == 0) {
            throw new IllegalStateException("queue " + qid + " is full: " + inFlight + " commands in flight");
        }
        return freeCids[--freeTop];
    }

    private void write(int cid, AllowedCommand command, int nsid, long prp1, long prp2,
                       int cdw10, int cdw11, int cdw12, int tag) {
        MemorySegment entry = submissionQueue.asSlice((long) sqTail * SubmissionQueueEntry.SIZE, SubmissionQueueEntry.SIZE);
        entry.fill((byte) 0);
        entry.set(ValueLayout.JAVA_BYTE, SubmissionQueueEntry.CDW0_OPC, (byte) command.opcode);
        entry.set(ValueLayout.JAVA_BYTE, SubmissionQueueEntry.CDW0_FLAGS, (byte) SubmissionQueueEntry.FLAGS_PRP_NOT_FUSED);
        entry.set(ValueLayout.JAVA_SHORT, SubmissionQueueEntry.CDW0_CID, (short) cid);
        entry.set(ValueLayout.JAVA_INT, SubmissionQueueEntry.NSID, nsid);
        entry.set(ValueLayout.JAVA_LONG, SubmissionQueueEntry.PRP1, prp1);
        entry.set(ValueLayout.JAVA_LONG, SubmissionQueueEntry.PRP2, prp2);
        entry.set(ValueLayout.JAVA_INT, SubmissionQueueEntry.CDW10, cdw10);
        entry.set(ValueLayout.JAVA_INT, SubmissionQueueEntry.CDW11, cdw11);
        entry.set(ValueLayout.JAVA_INT, SubmissionQueueEntry.CDW12, cdw12);
        tags[cid] = tag;
        deadlines[cid] = System.nanoTime() + timeoutNanos;
        commandOpcodes[cid] = command.ordinal();
        inFlight++;
        sqTail = sqTail + 1 == depth ? 0 : sqTail + 1;
        // The controller may fetch the entry as soon as it sees the new tail: publish the entry first.
        VarHandle.fullFence();
        registers.write32(submissionDoorbell, sqTail);
    }

    /**
     * Takes up to {@code maxCompletions} completions, calling {@code handler} for each, and
     * returns how many were taken. Never blocks.
     */
    public int poll(int maxCompletions, CompletionHandler handler) throws NvmeException {
        int taken = 0;
        try {
            while (taken < maxCompletions) {
                long at = (long) cqHead * CompletionQueueEntry.SIZE;
                int status = Short.toUnsignedInt((short) SHORT.getVolatile(completionQueue, at + CompletionQueueEntry.STATUS));
                if ((status & CompletionQueueEntry.STATUS_P_MASK) != phase) {
                    break;
                }
                // The rest of the entry was written before its status: read it only after the status.
                VarHandle.acquireFence();
                int cid = Short.toUnsignedInt(completionQueue.get(ValueLayout.JAVA_SHORT, at + CompletionQueueEntry.CID));
                cqHead++;
                if (cqHead == depth) {
                    cqHead = 0;
                    phase ^= 1;
                }
                taken++;
                if (cid >= tags.length || deadlines[cid] == 0) {
                    failed = true;
                    throw new ControllerFatalException("queue " + qid + " completed command identifier " + cid
                            + " that is not in flight");
                }
                try {
                    handler.completed(tags[cid], status, cid);
                } finally {
                    deadlines[cid] = 0;
                    freeCids[freeTop++] = cid;
                    inFlight--;
                }
            }
        } finally {
            if (taken > 0) {
                registers.write32(completionDoorbell, cqHead);
            }
        }
        return taken;
    }

    /**
     * Fails if a command in flight has passed its deadline or the controller reports a fatal
     * status. Called by waiting loops between polls that found nothing.
     */
    public void checkHealth() throws NvmeException {
        int csts = registers.read32(CSTS);
        if (csts == ControllerRegisters.ALL_ONES || ((csts >>> CSTS_CFS_SHIFT) & CSTS_CFS_MASK) != 0) {
            failed = true;
            throw new ControllerFatalException("controller fatal status (CSTS 0x" + Integer.toHexString(csts)
                    + ") while queue " + qid + " had " + inFlight + " commands in flight");
        }
        long now = System.nanoTime();
        for (int cid = 0; cid < deadlines.length; cid++) {
            if (deadlines[cid] != 0 && now - deadlines[cid] > 0) {
                failed = true;
                throw new NvmeTimeoutException(describe(cid) + " did not complete within "
                        + timeoutNanos / 1_000_000 + " ms");
            }
        }
    }

    /** Polls until no command is in flight, calling the handler for each completion. */
    public void drain(CompletionHandler handler) throws NvmeException {
        int idle = 0;
        while (inFlight > 0) {
            if (poll(Integer.MAX_VALUE, handler) == 0) {
                if (++idle % 1024 == 0) {
                    checkHealth();
                }
                Thread.onSpinWait();
            }
        }
    }

    /** A human description of command {@code cid}, for error messages. */
    public String describe(int cid) {
        AllowedCommand c = AllowedCommand.values()[commandOpcodes[cid]];
        String what = c == AllowedCommand.READ
                ? "Read LBA " + commandLbas[cid] + " + " + commandBlocks[cid] + " blocks"
                : c.name();
        return what + " (cid " + cid + ", queue " + qid + ")";
    }
}
