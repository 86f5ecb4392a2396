package dev.pagoda.nvme.driver;

import static dev.pagoda.nvme.spec.ControllerRegisters.*;

/**
 * The CAP register, decoded.
 *
 * @param maxQueueEntries  MQES + 1: the most entries one I/O queue may have
 * @param contiguousQueues CQR: queues must be physically contiguous
 * @param timeoutMillis    TO in milliseconds: worst case for CSTS.RDY to change
 * @param doorbellStride   bytes between doorbells (4 &lt;&lt; DSTRD)
 * @param nvmCommandSet    CSS bit 0: the NVM command set is supported
 * @param minPageSize      2 ^ (12 + MPSMIN) bytes
 * @param maxPageSize      2 ^ (12 + MPSMAX) bytes
 */
public record ControllerCapabilities(int maxQueueEntries, boolean contiguousQueues, long timeoutMillis,
                                     int doorbellStride, boolean nvmCommandSet, long minPageSize, long maxPageSize) {

    public static ControllerCapabilities decode(long cap) {
        return new ControllerCapabilities(
                (int) ((cap >>> CAP_MQES_SHIFT) & CAP_MQES_MASK) + 1,
                ((cap >>> CAP_CQR_SHIFT) & CAP_CQR_MASK) != 0,
                ((cap >>> CAP_TO_SHIFT) & CAP_TO_MASK) * CAP_TO_UNIT_MILLIS,
                DOORBELL_UNIT << (int) ((cap >>> CAP_DSTRD_SHIFT) & CAP_DSTRD_MASK),
                (((cap >>> CAP_CSS_SHIFT) & CAP_CSS_MASK) & CAP_CSS_NVM) != 0,
                1L << (PAGE_SHIFT_BASE + (int) ((cap >>> CAP_MPSMIN_SHIFT) & CAP_MPSMIN_MASK)),
                1L << (PAGE_SHIFT_BASE + (int) ((cap >>> CAP_MPSMAX_SHIFT) & CAP_MPSMAX_MASK)));
    }
}
