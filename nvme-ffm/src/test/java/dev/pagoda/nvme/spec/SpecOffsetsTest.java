package dev.pagoda.nvme.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every offset and size in the spec package, checked against the NVMe base specification's tables. */
class SpecOffsetsTest {

    @Test
    void controllerRegisterOffsets() {
        assertThat(ControllerRegisters.CAP).isEqualTo(0x00);
        assertThat(ControllerRegisters.VS).isEqualTo(0x08);
        assertThat(ControllerRegisters.INTMS).isEqualTo(0x0C);
        assertThat(ControllerRegisters.INTMC).isEqualTo(0x10);
        assertThat(ControllerRegisters.CC).isEqualTo(0x14);
        assertThat(ControllerRegisters.CSTS).isEqualTo(0x1C);
        assertThat(ControllerRegisters.NSSR).isEqualTo(0x20);
        assertThat(ControllerRegisters.AQA).isEqualTo(0x24);
        assertThat(ControllerRegisters.ASQ).isEqualTo(0x28);
        assertThat(ControllerRegisters.ACQ).isEqualTo(0x30);
        assertThat(ControllerRegisters.DOORBELL_BASE).isEqualTo(0x1000);
    }

    @Test
    void capabilityFields() {
        // CAP = MPSMAX 4 | MPSMIN 0 | CSS NVM | DSTRD 0 | TO 15 | CQR | MQES 2047 (QEMU's values, per spec bit positions)
        long cap = (4L << 52) | (0L << 48) | (1L << 37) | (0L << 32) | (15L << 24) | (1L << 16) | 2047L;
        assertThat((cap >>> ControllerRegisters.CAP_MQES_SHIFT) & ControllerRegisters.CAP_MQES_MASK).isEqualTo(2047);
        assertThat((cap >>> ControllerRegisters.CAP_CQR_SHIFT) & ControllerRegisters.CAP_CQR_MASK).isEqualTo(1);
        assertThat((cap >>> ControllerRegisters.CAP_TO_SHIFT) & ControllerRegisters.CAP_TO_MASK).isEqualTo(15);
        assertThat((cap >>> ControllerRegisters.CAP_DSTRD_SHIFT) & ControllerRegisters.CAP_DSTRD_MASK).isZero();
        assertThat((cap >>> ControllerRegisters.CAP_CSS_SHIFT) & ControllerRegisters.CAP_CSS_MASK)
                .isEqualTo(ControllerRegisters.CAP_CSS_NVM);
        assertThat((cap >>> ControllerRegisters.CAP_MPSMIN_SHIFT) & ControllerRegisters.CAP_MPSMIN_MASK).isZero();
        assertThat((cap >>> ControllerRegisters.CAP_MPSMAX_SHIFT) & ControllerRegisters.CAP_MPSMAX_MASK).isEqualTo(4);
        assertThat(ControllerRegisters.CAP_AMS_SHIFT).isEqualTo(17);
        assertThat(ControllerRegisters.CAP_NSSRS_SHIFT).isEqualTo(36);
        assertThat(ControllerRegisters.CAP_TO_UNIT_MILLIS).isEqualTo(500);
    }

    @Test
    void configurationAndStatusFields() {
        assertThat(ControllerRegisters.CC_EN_SHIFT).isZero();
        assertThat(ControllerRegisters.CC_CSS_SHIFT).isEqualTo(4);
        assertThat(ControllerRegisters.CC_MPS_SHIFT).isEqualTo(7);
        assertThat(ControllerRegisters.CC_AMS_SHIFT).isEqualTo(11);
        assertThat(ControllerRegisters.CC_SHN_SHIFT).isEqualTo(14);
        assertThat(ControllerRegisters.CC_IOSQES_SHIFT).isEqualTo(16);
        assertThat(ControllerRegisters.CC_IOCQES_SHIFT).isEqualTo(20);
        assertThat(ControllerRegisters.CSTS_RDY_SHIFT).isZero();
        assertThat(ControllerRegisters.CSTS_CFS_SHIFT).isEqualTo(1);
        assertThat(ControllerRegisters.CSTS_SHST_SHIFT).isEqualTo(2);
        assertThat(ControllerRegisters.CSTS_SHST_COMPLETE).isEqualTo(0b10);
        assertThat(ControllerRegisters.CSTS_NSSRO_SHIFT).isEqualTo(4);
        assertThat(ControllerRegisters.CSTS_PP_SHIFT).isEqualTo(5);
        assertThat(ControllerRegisters.AQA_ASQS_SHIFT).isZero();
        assertThat(ControllerRegisters.AQA_ACQS_SHIFT).isEqualTo(16);
        assertThat(ControllerRegisters.AQA_ASQS_MASK).isEqualTo(0xFFF);
    }

    @Test
    void submissionQueueEntryIs64BytesWithCommonFields() {
        assertThat(SubmissionQueueEntry.SIZE).isEqualTo(64).isEqualTo(1 << SubmissionQueueEntry.SIZE_SHIFT);
        assertThat(SubmissionQueueEntry.CDW0_OPC).isZero();
        assertThat(SubmissionQueueEntry.CDW0_CID).isEqualTo(2);
        assertThat(SubmissionQueueEntry.NSID).isEqualTo(4);
        assertThat(SubmissionQueueEntry.MPTR).isEqualTo(16);
        assertThat(SubmissionQueueEntry.PRP1).isEqualTo(24);
        assertThat(SubmissionQueueEntry.PRP2).isEqualTo(32);
        assertThat(SubmissionQueueEntry.CDW10).isEqualTo(40);
        assertThat(SubmissionQueueEntry.CDW11).isEqualTo(44);
        assertThat(SubmissionQueueEntry.CDW12).isEqualTo(48);
        assertThat(SubmissionQueueEntry.CDW13).isEqualTo(52);
        assertThat(SubmissionQueueEntry.CDW14).isEqualTo(56);
        assertThat(SubmissionQueueEntry.CDW15 + 4).isEqualTo(SubmissionQueueEntry.SIZE);
    }

    @Test
    void completionQueueEntryIs16BytesWithStatusInTheLastWord() {
        assertThat(CompletionQueueEntry.SIZE).isEqualTo(16).isEqualTo(1 << CompletionQueueEntry.SIZE_SHIFT);
        assertThat(CompletionQueueEntry.DW0).isZero();
        assertThat(CompletionQueueEntry.DW1).isEqualTo(4);
        assertThat(CompletionQueueEntry.SQHD).isEqualTo(8);
        assertThat(CompletionQueueEntry.SQID).isEqualTo(10);
        assertThat(CompletionQueueEntry.CID).isEqualTo(12);
        assertThat(CompletionQueueEntry.STATUS + 2).isEqualTo(CompletionQueueEntry.SIZE);
        // status 0x8201 = DNR | SCT 0 | SC 0x00 | P 1 ; 0x0101 = SC 0x80 (LBA out of range) with P
        int lbaOutOfRange = (0x80 << CompletionQueueEntry.STATUS_SC_SHIFT) | 1;
        assertThat(lbaOutOfRange).isEqualTo(0x0101);
        assertThat(CompletionQueueEntry.STATUS_SCT_SHIFT).isEqualTo(9);
        assertThat(CompletionQueueEntry.STATUS_CRD_SHIFT).isEqualTo(12);
        assertThat(CompletionQueueEntry.STATUS_M_SHIFT).isEqualTo(14);
        assertThat(CompletionQueueEntry.STATUS_DNR_SHIFT).isEqualTo(15);
    }

    @Test
    void identifyStructureOffsets() {
        assertThat(IdentifyController.VID).isZero();
        assertThat(IdentifyController.SN).isEqualTo(4);
        assertThat(IdentifyController.SN + IdentifyController.SN_LENGTH).isEqualTo(IdentifyController.MN);
        assertThat(IdentifyController.MN + IdentifyController.MN_LENGTH).isEqualTo(IdentifyController.FR);
        assertThat(IdentifyController.FR + IdentifyController.FR_LENGTH).isEqualTo(72);
        assertThat(IdentifyController.MDTS).isEqualTo(77);
        assertThat(IdentifyController.CNTLID).isEqualTo(78);
        assertThat(IdentifyController.VER).isEqualTo(80);
        assertThat(IdentifyController.SQES).isEqualTo(512);
        assertThat(IdentifyController.CQES).isEqualTo(513);
        assertThat(IdentifyController.NN).isEqualTo(516);
        assertThat(IdentifyNamespace.NSZE).isZero();
        assertThat(IdentifyNamespace.NCAP).isEqualTo(8);
        assertThat(IdentifyNamespace.NUSE).isEqualTo(16);
        assertThat(IdentifyNamespace.NLBAF).isEqualTo(25);
        assertThat(IdentifyNamespace.FLBAS).isEqualTo(26);
        assertThat(IdentifyNamespace.LBAF0).isEqualTo(128);
        assertThat(IdentifyNamespace.LBAF0 + IdentifyNamespace.LBAF_COUNT * IdentifyNamespace.LBAF_SIZE).isEqualTo(384);
        assertThat(IdentifyNamespace.LBAF_LBADS_SHIFT).isEqualTo(16);
        assertThat(QueueCommandFields.IDENTIFY_DATA_SIZE).isEqualTo(4096);
    }

    @Test
    void opcodesAreTheSpecificationsAndNoneWrites() throws IllegalAccessException {
        assertThat(AdminOpcode.DELETE_IO_SQ).isEqualTo(0x00);
        assertThat(AdminOpcode.CREATE_IO_SQ).isEqualTo(0x01);
        assertThat(AdminOpcode.DELETE_IO_CQ).isEqualTo(0x04);
        assertThat(AdminOpcode.CREATE_IO_CQ).isEqualTo(0x05);
        assertThat(AdminOpcode.IDENTIFY).isEqualTo(0x06);
        assertThat(NvmOpcode.READ).isEqualTo(0x02);
        // NVM command set: the only named I/O opcode is Read; Write (01h) is absent.
        assertThat(intConstants(NvmOpcode.class)).containsExactly(0x02);
        // Admin: Format NVM (80h), Firmware Commit (10h), Download (11h), Sanitize (84h), Set Features (09h) are absent.
        assertThat(intConstants(AdminOpcode.class)).doesNotContain(0x80, 0x10, 0x11, 0x84, 0x09, 0x0D);
    }

    @Test
    void statusCodesAreUniqueAndInRange() {
        Set<Integer> seen = new HashSet<>();
        for (StatusCode s : StatusCode.values()) {
            assertThat(seen.add(s.type.value << 8 | s.code)).as("duplicate %s", s).isTrue();
            assertThat(s.code).isBetween(0, 0xFF);
        }
        assertThat(StatusCode.LBA_OUT_OF_RANGE.code).isEqualTo(0x80);
        assertThat(StatusCode.LBA_OUT_OF_RANGE.type).isEqualTo(StatusCodeType.GENERIC);
        assertThat(StatusCode.INVALID_QUEUE_SIZE.code).isEqualTo(0x02);
        assertThat(StatusCode.INVALID_QUEUE_SIZE.type.value).isEqualTo(1);
        assertThat(StatusCode.UNRECOVERED_READ_ERROR.type.value).isEqualTo(2);
        assertThat(StatusCodeType.VENDOR_SPECIFIC.value).isEqualTo(7);
    }

    @Test
    void pciConfigurationFields() {
        assertThat(PciConfig.COMMAND).isEqualTo(0x04);
        assertThat(PciConfig.COMMAND_MEMORY_SPACE).isEqualTo(0x2);
        assertThat(PciConfig.COMMAND_BUS_MASTER).isEqualTo(0x4);
        assertThat(PciConfig.COMMAND_INTX_DISABLE).isEqualTo(0x400);
        assertThat(PciConfig.CLASS_NVME).isEqualTo(0x010802);
    }

    private static Set<Integer> intConstants(Class<?> type) throws IllegalAccessException {
        Set<Integer> values = new HashSet<>();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                values.add(f.getInt(null));
            }
        }
        return values;
    }
}
