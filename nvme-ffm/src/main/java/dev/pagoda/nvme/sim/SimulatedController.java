package dev.pagoda.nvme.sim;

import static dev.pagoda.nvme.spec.ControllerRegisters.*;

import dev.pagoda.nvme.spec.AdminOpcode;
import dev.pagoda.nvme.spec.CompletionQueueEntry;
import dev.pagoda.nvme.spec.IdentifyController;
import dev.pagoda.nvme.spec.IdentifyNamespace;
import dev.pagoda.nvme.spec.NvmOpcode;
import dev.pagoda.nvme.spec.QueueCommandFields;
import dev.pagoda.nvme.spec.StatusCode;
import dev.pagoda.nvme.spec.SubmissionQueueEntry;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * An NVMe controller modelled at the register level. BAR0 is a segment the driver maps as it
 * would the real one; a worker thread watches CC and the doorbells, fetches submission entries
 * from (simulated) bus memory, executes Identify, queue management and Read against an in-memory
 * namespace, and posts completion entries with the phase tag, as the specification says. Queue
 * memory must be contiguous (CAP.CQR = 1). One namespace, 512-byte blocks, no interrupts.
 */
public final class SimulatedController implements AutoCloseable {
    /** Knobs of the model; {@link #qemuLike} mirrors QEMU's emulated controller. */
    public record Config(int maxQueueEntries, int mdts, int timeoutUnits, int doorbellStrideShift,
                         int maxIoQueues, String serial, String model) {
        public static Config qemuLike(String serial) {
            return new Config(2048, 7, 15, 0, 64, serial, "Pagoda simulated NVMe");
        }
    }

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();
    private static final int BLOCK_SHIFT = 9;
    private static final long PAGE = 4096;

    private final Config config;
    private final SimulatedDma dma;
    private final MemorySegment media;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment bar0;
    private final Thread worker;
    private final Queue[] submission;
    private final Queue[] completion;
    private volatile boolean running = true;
    private volatile boolean holdCompletions;
    private volatile boolean fatal;
    private boolean enabled;
    private int readyDelay;
    private long commandsExecuted;
    private int maxOutstanding;

    /** One submission or completion queue as the controller sees it. */
    private static final class Queue {
        long bus;
        int size;
        int head;
        int tail;
        int phase = 1;
        int completionQueueId;
    }

    /**
     * @param media the namespace's contents: a whole number of 512-byte blocks, read by the model
     */
    public SimulatedController(Config config, SimulatedDma dma, MemorySegment media) {
        if (media.byteSize() % (1 << BLOCK_SHIFT) != 0 || media.byteSize() == 0) {
            throw new IllegalArgumentException("media of " + media.byteSize() + " bytes is not whole 512-byte blocks");
        }
        this.config = config;
        this.dma = dma;
        this.media = media;
        int stride = DOORBELL_UNIT << config.doorbellStrideShift();
        long barSize = DOORBELL_BASE + (long) stride * 2 * (config.maxIoQueues() + 1);
        this.bar0 = arena.allocate((barSize + PAGE - 1) / PAGE * PAGE, PAGE);
        this.submission = new Queue[config.maxIoQueues() + 1];
        this.completion = new Queue[config.maxIoQueues() + 1];
        long cap = (long) (config.maxQueueEntries() - 1)
                | 1L << CAP_CQR_SHIFT
                | (long) config.timeoutUnits() << CAP_TO_SHIFT
                | (long) config.doorbellStrideShift() << CAP_DSTRD_SHIFT
                | CAP_CSS_NVM << CAP_CSS_SHIFT
                | 0L << CAP_MPSMIN_SHIFT
                | 4L << CAP_MPSMAX_SHIFT;
        bar0.set(ValueLayout.JAVA_LONG, CAP, cap);
        bar0.set(ValueLayout.JAVA_INT, VS, 0x0001_0400);
        this.worker = Thread.ofPlatform().daemon().name("simulated-nvme-" + config.serial()).start(this::serve);
    }

    /** BAR0 as the driver sees it. */
    public MemorySegment bar0() {
        return bar0;
    }

    /** Commands executed so far. */
    public synchronized long commandsExecuted() {
        return commandsExecuted;
    }

    /** The most submission entries seen waiting in one I/O queue at once. */
    public synchronized int maxOutstanding() {
        return maxOutstanding;
    }

    /** While true the model takes no further commands, so the driver's commands time out. */
    public void holdCompletions(boolean hold) {
        holdCompletions = hold;
    }

    /** Sets CSTS.CFS, as a controller does when it fails. */
    public void failFatally() {
        fatal = true;
    }

    private int reg(int offset) {
        return (int) INT.getVolatile(bar0, (long) offset);
    }

    private void setReg(int offset, int value) {
        INT.setVolatile(bar0, (long) offset, value);
    }

    private void serve() {
        int idle = 0;
        while (running) {
            boolean worked;
            synchronized (this) {
                worked = tick();
            }
            if (worked) {
                idle = 0;
            } else if (++idle > 2000) {
                LockSupport.parkNanos(50_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private boolean tick() {
        int cc = reg(CC);
        int csts = reg(CSTS);
        boolean en = (cc >>> CC_EN_SHIFT & CC_EN_MASK) != 0;
        if (fatal) {
            csts |= CSTS_CFS_MASK << CSTS_CFS_SHIFT;
        }
        if (!en) {
            if (enabled) {
                enabled = false;
                java.util.Arrays.fill(submission, null);
                java.util.Arrays.fill(completion, null);
                // A controller reset clears every doorbell.
                bar0.asSlice(DOORBELL_BASE).fill((byte) 0);
            }
            fatal = false;
            setReg(CSTS, 0);
            return false;
        }
        if (!enabled) {
            // Take a few ticks to become ready so start-up really waits on CSTS.RDY.
            if (++readyDelay < 50) {
                return true;
            }
            readyDelay = 0;
            enabled = true;
            int aqa = reg(AQA);
            submission[0] = queue(bar0.get(ValueLayout.JAVA_LONG_UNALIGNED, ASQ), (aqa >>> AQA_ASQS_SHIFT & AQA_ASQS_MASK) + 1, 0);
            completion[0] = queue(bar0.get(ValueLayout.JAVA_LONG_UNALIGNED, ACQ), (aqa >>> AQA_ACQS_SHIFT & AQA_ACQS_MASK) + 1, 0);
            csts |= CSTS_RDY_MASK << CSTS_RDY_SHIFT;
        }
        int shn = cc >>> CC_SHN_SHIFT & CC_SHN_MASK;
        if (shn != 0) {
            csts = csts & ~(CSTS_SHST_MASK << CSTS_SHST_SHIFT) | CSTS_SHST_COMPLETE << CSTS_SHST_SHIFT;
        }
        setReg(CSTS, csts);
        if (fatal || holdCompletions || shn != 0) {
            return false;
        }
        boolean worked = false;
        int stride = DOORBELL_UNIT << config.doorbellStrideShift();
        for (int qid = 0; qid < submission.length; qid++) {
            Queue sq = submission[qid];
            if (sq == null) {
                continue;
            }
            sq.tail = reg(DOORBELL_BASE + 2 * qid * stride);
            if (qid > 0) {
                int waiting = (sq.tail - sq.head + sq.size) % sq.size;
                maxOutstanding = Math.max(maxOutstanding, waiting);
            }
            // Read fatal again after the doorbell: a command rung after failFatally() must never
            // complete, even when this tick began before the failure.
            while (sq.head != sq.tail && !fatal) {
                Queue cq = completion[sq.completionQueueId];
                cq.head = reg(DOORBELL_BASE + (2 * sq.completionQueueId + 1) * stride);
                if ((cq.tail + 1) % cq.size == cq.head) {
                    break;
                }
                MemorySegment entry = dma.resolve(sq.bus + (long) sq.head * SubmissionQueueEntry.SIZE, SubmissionQueueEntry.SIZE);
                sq.head = (sq.head + 1) % sq.size;
                int cid = Short.toUnsignedInt(entry.get(ValueLayout.JAVA_SHORT, SubmissionQueueEntry.CDW0_CID));
                StatusCode status = qid == 0 ? admin(entry) : io(entry);
                post(cq, qid, sq.head, cid, status);
                commandsExecuted++;
                worked = true;
            }
        }
        return worked;
    }

    private static Queue queue(long bus, int size, int completionQueueId) {
        Queue q = new Queue();
        q.bus = bus;
        q.size = size;
        q.completionQueueId = completionQueueId;
        return q;
    }

    private void post(Queue cq, int sqid, int sqHead, int cid, StatusCode status) {
        MemorySegment entry = dma.resolve(cq.bus + (long) cq.tail * CompletionQueueEntry.SIZE, CompletionQueueEntry.SIZE);
        entry.set(ValueLayout.JAVA_INT, CompletionQueueEntry.DW0, 0);
        entry.set(ValueLayout.JAVA_INT, CompletionQueueEntry.DW1, 0);
        entry.set(ValueLayout.JAVA_SHORT, CompletionQueueEntry.SQHD, (short) sqHead);
        entry.set(ValueLayout.JAVA_SHORT, CompletionQueueEntry.SQID, (short) sqid);
        entry.set(ValueLayout.JAVA_SHORT, CompletionQueueEntry.CID, (short) cid);
        int word = status.code << CompletionQueueEntry.STATUS_SC_SHIFT
                | status.type.value << CompletionQueueEntry.STATUS_SCT_SHIFT
                | cq.phase;
        // The status word, carrying the phase tag, is what the host polls: write it last.
        SHORT.setVolatile(entry, (long) CompletionQueueEntry.STATUS, (short) word);
        cq.tail++;
        if (cq.tail == cq.size) {
            cq.tail = 0;
            cq.phase ^= 1;
        }
    }

    private StatusCode admin(MemorySegment e) {
        int opcode = Byte.toUnsignedInt(e.get(ValueLayout.JAVA_BYTE, SubmissionQueueEntry.CDW0_OPC));
        int cdw10 = e.get(ValueLayout.JAVA_INT, SubmissionQueueEntry.CDW10);
        int cdw11 = e.get(ValueLayout.JAVA_INT, SubmissionQueueEntry.CDW11);
        long prp1 = e.get(ValueLayout.JAVA_LONG, SubmissionQueueEntry.PRP1);
        int qid = cdw10 & QueueCommandFields.CDW10_QID_MASK;
        int qsize = (cdw10 >>> QueueCommandFields.CDW10_QSIZE_SHIFT & QueueCommandFields.CDW10_QSIZE_MASK) + 1;
        return switch (opcode) {
            case AdminOpcode.IDENTIFY -> identify(cdw10 & QueueCommandFields.IDENTIFY_CDW10_CNS_MASK,
                    e.get(ValueLayout.JAVA_INT, SubmissionQueueEntry.NSID), prp1);
            case AdminOpcode.CREATE_IO_CQ -> {
                if (qid == 0 || qid >= completion.length || completion[qid] != null) {
                    yield StatusCode.INVALID_QUEUE_IDENTIFIER;
                }
                if (qsize < 2 || qsize > config.maxQueueEntries()) {
                    yield StatusCode.INVALID_QUEUE_SIZE;
                }
                if ((cdw11 & 1) == 0 || dma.resolve(prp1, (long) qsize * CompletionQueueEntry.SIZE) == null) {
                    yield StatusCode.INVALID_FIELD;
                }
                completion[qid] = queue(prp1, qsize, qid);
                yield StatusCode.SUCCESS;
            }
            case AdminOpcode.CREATE_IO_SQ -> {
                int cqid = cdw11 >>> QueueCommandFields.SQ_CDW11_CQID_SHIFT;
                if (qid == 0 || qid >= submission.length || submission[qid] != null) {
                    yield StatusCode.INVALID_QUEUE_IDENTIFIER;
                }
                if (cqid == 0 || cqid >= completion.length || completion[cqid] == null) {
                    yield StatusCode.COMPLETION_QUEUE_INVALID;
                }
                if (qsize < 2 || qsize > config.maxQueueEntries()) {
                    yield StatusCode.INVALID_QUEUE_SIZE;
                }
                if ((cdw11 & 1) == 0 || dma.resolve(prp1, (long) qsize * SubmissionQueueEntry.SIZE) == null) {
                    yield StatusCode.INVALID_FIELD;
                }
                submission[qid] = queue(prp1, qsize, cqid);
                yield StatusCode.SUCCESS;
            }
            case AdminOpcode.DELETE_IO_SQ -> {
                if (qid == 0 || qid >= submission.length || submission[qid] == null) {
                    yield StatusCode.INVALID_QUEUE_IDENTIFIER;
                }
                submission[qid] = null;
                yield StatusCode.SUCCESS;
            }
            case AdminOpcode.DELETE_IO_CQ -> {
                if (qid == 0 || qid >= completion.length || completion[qid] == null) {
                    yield StatusCode.INVALID_QUEUE_IDENTIFIER;
                }
                completion[qid] = null;
                yield StatusCode.SUCCESS;
            }
            default -> StatusCode.INVALID_OPCODE;
        };
    }

    private StatusCode identify(int cns, int nsid, long prp1) {
        MemorySegment out = dma.resolve(prp1, QueueCommandFields.IDENTIFY_DATA_SIZE);
        if (out == null) {
            return StatusCode.DATA_TRANSFER_ERROR;
        }
        out.fill((byte) 0);
        if (cns == QueueCommandFields.CNS_CONTROLLER) {
            out.set(ValueLayout.JAVA_SHORT, IdentifyController.VID, (short) 0x1B36);
            ascii(out, IdentifyController.SN, IdentifyController.SN_LENGTH, config.serial());
            ascii(out, IdentifyController.MN, IdentifyController.MN_LENGTH, config.model());
            ascii(out, IdentifyController.FR, IdentifyController.FR_LENGTH, "sim-1.0");
            out.set(ValueLayout.JAVA_BYTE, IdentifyController.MDTS, (byte) config.mdts());
            out.set(ValueLayout.JAVA_SHORT, IdentifyController.CNTLID, (short) 1);
            out.set(ValueLayout.JAVA_INT, IdentifyController.VER, 0x0001_0400);
            out.set(ValueLayout.JAVA_BYTE, IdentifyController.SQES, (byte) 0x66);
            out.set(ValueLayout.JAVA_BYTE, IdentifyController.CQES, (byte) 0x44);
            out.set(ValueLayout.JAVA_INT, IdentifyController.NN, 1);
            return StatusCode.SUCCESS;
        }
        if (cns == QueueCommandFields.CNS_NAMESPACE) {
            if (nsid != 1) {
                return StatusCode.INVALID_NAMESPACE_OR_FORMAT;
            }
            long blocks = media.byteSize() >>> BLOCK_SHIFT;
            out.set(ValueLayout.JAVA_LONG, IdentifyNamespace.NSZE, blocks);
            out.set(ValueLayout.JAVA_LONG, IdentifyNamespace.NCAP, blocks);
            out.set(ValueLayout.JAVA_LONG, IdentifyNamespace.NUSE, blocks);
            out.set(ValueLayout.JAVA_INT, IdentifyNamespace.LBAF0, BLOCK_SHIFT << IdentifyNamespace.LBAF_LBADS_SHIFT);
            return StatusCode.SUCCESS;
        }
        return StatusCode.INVALID_FIELD;
    }

    private static void ascii(MemorySegment out, int offset, int length, String text) {
        byte[] padded = String.format("%-" + length + "s", text).substring(0, length).getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(padded, 0, out, ValueLayout.JAVA_BYTE, offset, length);
    }

    private StatusCode io(MemorySegment e) {
        int opcode = Byte.toUnsignedInt(e.get(ValueLayout.JAVA_BYTE, SubmissionQueueEntry.CDW0_OPC));
        if (opcode != NvmOpcode.READ) {
            return StatusCode.INVALID_OPCODE;
        }
        if (e.get(ValueLayout.JAVA_INT, SubmissionQueueEntry.NSID) != 1) {
            return StatusCode.INVALID_NAMESPACE_OR_FORMAT;
        }
        long slba = Integer.toUnsignedLong(e.get(ValueLayout.JAVA_INT, SubmissionQueueEntry.CDW10))
                | (long) e.get(ValueLayout.JAVA_INT, SubmissionQueueEntry.CDW11) << 32;
        int blocks = (e.get(ValueLayout.JAVA_INT, SubmissionQueueEntry.CDW12) & QueueCommandFields.READ_CDW12_NLB_MASK) + 1;
        long nsze = media.byteSize() >>> BLOCK_SHIFT;
        if (slba < 0 || slba + blocks > nsze) {
            return StatusCode.LBA_OUT_OF_RANGE;
        }
        long length = (long) blocks << BLOCK_SHIFT;
        if (config.mdts() != 0 && length > (PAGE << config.mdts())) {
            return StatusCode.INVALID_FIELD;
        }
        return transfer(e.get(ValueLayout.JAVA_LONG, SubmissionQueueEntry.PRP1),
                e.get(ValueLayout.JAVA_LONG, SubmissionQueueEntry.PRP2), slba << BLOCK_SHIFT, length);
    }

    /** Copies media bytes to the pages the PRPs name, walking (and chaining) PRP lists per spec. */
    private StatusCode transfer(long prp1, long prp2, long mediaOffset, long length) {
        long firstBytes = Math.min(length, PAGE - (prp1 & (PAGE - 1)));
        if (!copyOut(prp1, mediaOffset, firstBytes)) {
            return StatusCode.DATA_TRANSFER_ERROR;
        }
        long done = firstBytes;
        if (done == length) {
            return StatusCode.SUCCESS;
        }
        if ((prp2 & (PAGE - 1)) != 0 && length - done > PAGE) {
            return StatusCode.INVALID_PRP_OFFSET;
        }
        if (length - done <= PAGE) {
            if ((prp2 & (PAGE - 1)) != 0) {
                return StatusCode.INVALID_PRP_OFFSET;
            }
            return copyOut(prp2, mediaOffset + done, length - done) ? StatusCode.SUCCESS : StatusCode.DATA_TRANSFER_ERROR;
        }
        long list = prp2;
        int index = 0;
        int perList = (int) (PAGE / 8);
        while (done < length) {
            MemorySegment entries = dma.resolve(list, PAGE - (list & (PAGE - 1)));
            if (entries == null) {
                return StatusCode.DATA_TRANSFER_ERROR;
            }
            long pageAddress = entries.get(ValueLayout.JAVA_LONG, (long) index * 8);
            boolean lastSlot = index == perList - 1;
            if (lastSlot && length - done > PAGE) {
                list = pageAddress;
                index = 0;
                continue;
            }
            if ((pageAddress & (PAGE - 1)) != 0) {
                return StatusCode.INVALID_PRP_OFFSET;
            }
            long bytes = Math.min(PAGE, length - done);
            if (!copyOut(pageAddress, mediaOffset + done, bytes)) {
                return StatusCode.DATA_TRANSFER_ERROR;
            }
            done += bytes;
            index++;
        }
        return StatusCode.SUCCESS;
    }

    private boolean copyOut(long bus, long mediaOffset, long bytes) {
        MemorySegment target = dma.resolve(bus, bytes);
        if (target == null) {
            return false;
        }
        MemorySegment.copy(media, mediaOffset, target, 0, bytes);
        return true;
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        arena.close();
    }
}
