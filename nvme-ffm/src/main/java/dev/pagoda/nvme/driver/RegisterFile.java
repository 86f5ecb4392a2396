package dev.pagoda.nvme.driver;

import static dev.pagoda.nvme.spec.ControllerRegisters.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Volatile, naturally aligned 32-bit accesses to the controller registers in BAR0. 64-bit
 * registers are accessed as two 32-bit halves, low first, which every controller must accept.
 */
public final class RegisterFile {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment bar0;
    private final int doorbellStride;

    /**
     * @param bar0 the mapped BAR0 (at least 0x1000 bytes plus the doorbells)
     */
    public RegisterFile(MemorySegment bar0) {
        if (bar0.address() % 4096 != 0 || bar0.byteSize() < DOORBELL_BASE + 8) {
            throw new IllegalArgumentException("BAR0 segment at 0x" + Long.toHexString(bar0.address()) + " of "
                    + bar0.byteSize() + " bytes is not page aligned or too small for the doorbells");
        }
        this.bar0 = bar0;
        long cap = read64(CAP);
        this.doorbellStride = DOORBELL_UNIT << (int) ((cap >>> CAP_DSTRD_SHIFT) & CAP_DSTRD_MASK);
    }

    public int read32(int offset) {
        return (int) INT.getVolatile(bar0, (long) offset);
    }

    public void write32(int offset, int value) {
        INT.setVolatile(bar0, (long) offset, value);
    }

    public long read64(int offset) {
        long low = Integer.toUnsignedLong(read32(offset));
        long high = Integer.toUnsignedLong(read32(offset + 4));
        return high << 32 | low;
    }

    public void write64(int offset, long value) {
        write32(offset, (int) value);
        write32(offset + 4, (int) (value >>> 32));
    }

    /** Offset of queue {@code qid}'s submission queue tail doorbell. */
    public int submissionDoorbell(int qid) {
        return checkedDoorbell(DOORBELL_BASE + (2 * qid) * doorbellStride);
    }

    /** Offset of queue {@code qid}'s completion queue head doorbell. */
    public int completionDoorbell(int qid) {
        return checkedDoorbell(DOORBELL_BASE + (2 * qid + 1) * doorbellStride);
    }

    private int checkedDoorbell(int offset) {
        if (offset + 4 > bar0.byteSize()) {
            throw new IllegalArgumentException("doorbell at 0x" + Integer.toHexString(offset) + " lies outside BAR0 ("
                    + bar0.byteSize() + " bytes)");
        }
        return offset;
    }
}
