package dev.pagoda.nvme.driver;

import static dev.pagoda.nvme.spec.ControllerRegisters.*;

import java.util.concurrent.locks.LockSupport;

/**
 * Controller initialisation as the NVMe base specification orders it ("Initialization"), as an
 * explicit state machine over register observations: each phase reads CSTS, checks CFS, and
 * either moves on or waits (bounded by CAP.TO) for the controller to change state.
 */
public final class ControllerStartup {
    /** Where start-up stands. */
    public enum Phase {
        /** Read CC and CSTS to learn whether the controller is enabled. */
        INSPECT,
        /** CC.EN = 1 but CSTS.RDY = 0: the spec says wait for RDY = 1 before clearing EN. */
        AWAIT_READY_BEFORE_DISABLE,
        /** CC.EN written 0: wait for CSTS.RDY = 0. */
        AWAIT_DISABLED,
        /** Disabled: program AQA, ASQ, ACQ and CC (without EN). */
        CONFIGURE,
        /** CC.EN written 1: wait for CSTS.RDY = 1. */
        AWAIT_READY,
        /** Ready for admin commands. */
        READY
    }

    /** What the admin queue and CC should hold. */
    public record AdminQueueSetup(long submissionQueueBus, long completionQueueBus, int entries, int memoryPageShift) {}

    private final RegisterFile registers;
    private final long timeoutNanos;
    private final AdminQueueSetup setup;
    private Phase phase = Phase.INSPECT;
    private long phaseDeadline;

    public ControllerStartup(RegisterFile registers, ControllerCapabilities caps, AdminQueueSetup setup) {
        this.registers = registers;
        this.timeoutNanos = Math.max(caps.timeoutMillis(), CAP_TO_UNIT_MILLIS) * 1_000_000L;
        this.setup = setup;
    }

    /** The current phase. */
    public Phase phase() {
        return phase;
    }

    /** Runs the machine until {@link Phase#READY}; fails on CFS or when a wait exceeds CAP.TO. */
    public void run() throws NvmeException {
        while (phase != Phase.READY) {
            Phase before = phase;
            phase = step();
            if (phase != before) {
                phaseDeadline = System.nanoTime() + timeoutNanos;
            } else {
                if (System.nanoTime() - phaseDeadline > 0) {
                    throw new NvmeTimeoutException("controller start-up stuck in " + phase + " for longer than CAP.TO ("
                            + timeoutNanos / 1_000_000 + " ms); CSTS 0x" + Integer.toHexString(registers.read32(CSTS)));
                }
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /** One observation and at most one register write; returns the next phase. */
    Phase step() throws NvmeException {
        int csts = registers.read32(CSTS);
        if (csts == ALL_ONES) {
            throw new ControllerFatalException("CSTS reads 0xffffffff: the controller is not responding");
        }
        boolean ready = bit(csts, CSTS_RDY_SHIFT, CSTS_RDY_MASK) != 0;
        boolean fatal = bit(csts, CSTS_CFS_SHIFT, CSTS_CFS_MASK) != 0;
        int cc = registers.read32(CC);
        boolean enabled = bit(cc, CC_EN_SHIFT, CC_EN_MASK) != 0;
        return switch (phase) {
            case INSPECT -> {
                if (enabled && !ready && !fatal) {
                    yield Phase.AWAIT_READY_BEFORE_DISABLE;
                }
                yield disable(cc, enabled);
            }
            case AWAIT_READY_BEFORE_DISABLE -> ready || fatal ? disable(cc, true) : phase;
            // A fatal controller is reset by clearing EN; CFS is only an error once we enable it again.
            case AWAIT_DISABLED -> ready ? phase : Phase.CONFIGURE;
            case CONFIGURE -> {
                int aqa = ((setup.entries() - 1) & AQA_ACQS_MASK) << AQA_ACQS_SHIFT
                        | ((setup.entries() - 1) & AQA_ASQS_MASK) << AQA_ASQS_SHIFT;
                registers.write32(AQA, aqa);
                registers.write64(ASQ, setup.submissionQueueBus());
                registers.write64(ACQ, setup.completionQueueBus());
                int config = (CC_CSS_NVM << CC_CSS_SHIFT)
                        | ((setup.memoryPageShift() - PAGE_SHIFT_BASE) << CC_MPS_SHIFT)
                        | (0 << CC_AMS_SHIFT)
                        | (dev.pagoda.nvme.spec.SubmissionQueueEntry.SIZE_SHIFT << CC_IOSQES_SHIFT)
                        | (dev.pagoda.nvme.spec.CompletionQueueEntry.SIZE_SHIFT << CC_IOCQES_SHIFT);
                registers.write32(CC, config);
                registers.write32(CC, config | (1 << CC_EN_SHIFT));
                yield Phase.AWAIT_READY;
            }
            case AWAIT_READY -> {
                if (fatal) {
                    throw new ControllerFatalException("controller reported fatal status (CSTS.CFS) while enabling;"
                            + " CSTS 0x" + Integer.toHexString(csts));
                }
                yield ready ? Phase.READY : phase;
            }
            case READY -> phase;
        };
    }

    private Phase disable(int cc, boolean enabled) {
        if (enabled) {
            registers.write32(CC, cc & ~(CC_EN_MASK << CC_EN_SHIFT));
        }
        return Phase.AWAIT_DISABLED;
    }

    private static int bit(int value, int shift, int mask) {
        return (value >>> shift) & mask;
    }
}
