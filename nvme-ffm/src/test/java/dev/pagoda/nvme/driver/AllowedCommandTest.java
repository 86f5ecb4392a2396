package dev.pagoda.nvme.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The driver can only ever read: the command set is closed and nothing takes a raw opcode. */
class AllowedCommandTest {

    @Test
    void theAllowListIsExactlyIdentifyQueueManagementAndRead() {
        assertThat(EnumSet.allOf(AllowedCommand.class)).containsExactlyInAnyOrder(
                AllowedCommand.IDENTIFY, AllowedCommand.CREATE_IO_COMPLETION_QUEUE,
                AllowedCommand.CREATE_IO_SUBMISSION_QUEUE, AllowedCommand.DELETE_IO_SUBMISSION_QUEUE,
                AllowedCommand.DELETE_IO_COMPLETION_QUEUE, AllowedCommand.READ);
        assertThat(Arrays.stream(AllowedCommand.values()).filter(c -> !c.admin))
                .singleElement().satisfies(c -> assertThat(c.opcode).isEqualTo(0x02));
        // NVM Write 01h, Write Uncorrectable 04h, Write Zeroes 08h, Dataset Management 09h are not I/O opcodes we have;
        // Format NVM 80h, Sanitize 84h, Firmware Commit 10h / Download 11h, Set Features 09h are not admin opcodes we have.
        for (AllowedCommand c : AllowedCommand.values()) {
            if (c.admin) {
                assertThat(c.opcode).isNotIn(0x80, 0x84, 0x10, 0x11, 0x09, 0x0D, 0x1D);
            }
        }
    }

    @Test
    void noPublicMethodOfTheDriverAcceptsARawOpcode() {
        for (Class<?> type : new Class<?>[] {QueuePair.class, NvmeController.class}) {
            for (Method m : type.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) || !m.getName().startsWith("submit")) {
                    continue;
                }
                boolean namesCommand = Arrays.asList(m.getParameterTypes()).contains(AllowedCommand.class);
                assertThat(namesCommand || m.getName().equals("submitRead"))
                        .as("%s.%s must take an AllowedCommand", type.getSimpleName(), m.getName()).isTrue();
            }
        }
    }

    @Test
    void aCommandOnTheWrongKindOfQueueIsRefused() throws Exception {
        try (var rig = new dev.pagoda.nvme.testing.SimulatedRig(1 << 20, ControllerOptions.defaults())) {
            QueuePair io = rig.controller.ioQueue(0);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> io.submit(AllowedCommand.IDENTIFY, 0, 0, 0, 1, 0, 0, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("an admin command");
        }
    }
}
