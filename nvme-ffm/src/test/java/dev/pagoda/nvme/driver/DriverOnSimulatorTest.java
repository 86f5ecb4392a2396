package dev.pagoda.nvme.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.nvme.dma.DmaRegion;
import dev.pagoda.nvme.sim.SimulatedController;
import dev.pagoda.nvme.sim.SimulatedDma;
import dev.pagoda.nvme.source.NamespaceReader;
import dev.pagoda.nvme.spec.StatusCode;
import dev.pagoda.nvme.testing.KnownPattern;
import dev.pagoda.nvme.testing.SimulatedRig;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The driver against the register-level simulator: bring-up, identify, reads, errors, shutdown. */
class DriverOnSimulatorTest {
    private static final long MEDIA = 8L << 20;

    @Test
    void bringsUpAndIdentifies() throws Exception {
        try (SimulatedRig rig = new SimulatedRig(MEDIA, ControllerOptions.defaults())) {
            ControllerIdentity id = rig.controller.identity();
            assertThat(id.serialNumber()).isEqualTo("SIM-0001");
            assertThat(id.mdts()).isEqualTo(7);
            assertThat(rig.controller.maxTransferBytes()).isEqualTo(512 * 1024);
            assertThat(rig.controller.capabilities().maxQueueEntries()).isEqualTo(2048);
            assertThat(rig.controller.ioQueueCount()).isEqualTo(2);
            NamespaceIdentity ns = rig.controller.namespace(1);
            assertThat(ns.blockSize()).isEqualTo(512);
            assertThat(ns.byteSize()).isEqualTo(MEDIA);
        }
    }

    @Test
    void readsKnownPatternAtManyOffsetsAndSizes() throws Exception {
        long[][] cases = {
            {0, 512}, {512, 1}, {7, 100}, {4095, 2}, {4096, 4096}, {1000, 4096}, {0, 8192}, {100, 8192},
            {12288, 3 * 4096}, {4096 * 5 + 17, 40_000}, {0, 128 * 1024}, {33, 512 * 1024},
            {0, 512 * 1024 + 4096}, {1 << 20, 3 << 20}, {MEDIA - 512, 512}, {MEDIA - 1, 1},
        };
        try (SimulatedRig rig = new SimulatedRig(MEDIA, ControllerOptions.defaults());
             Arena arena = Arena.ofConfined()) {
            NamespaceReader reader = new NamespaceReader(rig.controller, 1, 0, 16, 512 * 1024);
            for (long[] c : cases) {
                MemorySegment dst = arena.allocate(c[1]);
                reader.read(c[0], dst, c[1]);
                assertThat(KnownPattern.firstMismatch(dst, c[0], c[1])).as("read of %d bytes at %d", c[1], c[0]).isEqualTo(-1);
            }
        }
    }

    @Test
    void wrapsAroundSmallQueuesManyTimes() throws Exception {
        try (SimulatedRig rig = new SimulatedRig(MEDIA, new ControllerOptions(1, 4, Duration.ofSeconds(5)));
             Arena arena = Arena.ofConfined()) {
            assertThat(rig.controller.ioQueue(0).depth()).isEqualTo(4);
            NamespaceReader reader = new NamespaceReader(rig.controller, 1, 0, 3, 4096);
            MemorySegment dst = arena.allocate(4096 * 50);
            for (int round = 0; round < 5; round++) {
                long at = round * 777_777L;
                reader.read(at, dst, dst.byteSize());
                assertThat(KnownPattern.firstMismatch(dst, at, dst.byteSize())).isEqualTo(-1);
            }
            assertThat(rig.device.commandsExecuted()).isGreaterThan(250);
        }
    }

    @Test
    void keepsManyCommandsInFlight() throws Exception {
        try (SimulatedRig rig = new SimulatedRig(MEDIA, ControllerOptions.defaults());
             Arena arena = Arena.ofConfined()) {
            QueuePair q = rig.controller.ioQueue(1);
            DmaRegion buffer = rig.dma.allocate(64 * 4096);
            rig.device.holdCompletions(true);
            for (int i = 0; i < 64; i++) {
                q.submitRead(1, i * 100L, 8, buffer, i * 4096L, 4096, i);
            }
            assertThat(q.inFlight()).isEqualTo(64);
            rig.device.holdCompletions(false);
            int[] done = new int[64];
            q.drain((tag, status, cid) -> {
                assertThat(CompletionStatus.isSuccess(status)).isTrue();
                done[tag]++;
            });
            assertThat(done).containsOnly(1);
            assertThat(rig.device.maxOutstanding()).isGreaterThanOrEqualTo(32);
            for (int i = 0; i < 64; i++) {
                assertThat(KnownPattern.firstMismatch(buffer.segment().asSlice(i * 4096L), i * 100L * 512, 4096)).isEqualTo(-1);
            }
        }
    }

    @Test
    void outOfRangeReadIsANamedError() throws Exception {
        try (SimulatedRig rig = new SimulatedRig(MEDIA, ControllerOptions.defaults())) {
            QueuePair q = rig.controller.ioQueue(0);
            DmaRegion buffer = rig.dma.allocate(4096);
            long pastEnd = MEDIA / 512 - 4;
            q.submitRead(1, pastEnd, 8, buffer, 0, 4096, 0);
            NvmeCommandException[] error = new NvmeCommandException[1];
            q.drain((tag, status, cid) -> error[0] = CompletionStatus.decode(status).toException(q.describe(cid)));
            assertThat(error[0]).isInstanceOf(LbaOutOfRangeException.class);
            assertThat(error[0].code()).contains(StatusCode.LBA_OUT_OF_RANGE);
            assertThat(error[0].getMessage()).contains("LBA Out of Range").contains("Read LBA " + pastEnd);
            NamespaceReader reader = NamespaceReader.withDefaults(rig.controller, 1, 0);
            assertThatThrownBy(() -> reader.read(MEDIA - 10, MemorySegment.ofArray(new byte[20]), 20))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
        }
    }

    @Test
    void aCommandThatNeverCompletesTimesOut() throws Exception {
        try (SimulatedRig rig = new SimulatedRig(MEDIA, new ControllerOptions(1, 16, Duration.ofMillis(200)))) {
            QueuePair q = rig.controller.ioQueue(0);
            DmaRegion buffer = rig.dma.allocate(4096);
            rig.device.holdCompletions(true);
            q.submitRead(1, 0, 8, buffer, 0, 4096, 0);
            assertThatThrownBy(() -> q.drain((tag, status, cid) -> { }))
                    .isInstanceOf(NvmeTimeoutException.class).hasMessageContaining("did not complete within 200 ms");
            assertThatThrownBy(() -> q.submitRead(1, 0, 8, buffer, 0, 4096, 0))
                    .isInstanceOf(ControllerFatalException.class).hasMessageContaining("unusable");
            rig.device.holdCompletions(false);
        }
    }

    @Test
    void fatalStatusIsReported() throws Exception {
        try (SimulatedRig rig = new SimulatedRig(MEDIA, ControllerOptions.defaults())) {
            QueuePair q = rig.controller.ioQueue(0);
            DmaRegion buffer = rig.dma.allocate(4096);
            rig.device.failFatally();
            q.submitRead(1, 0, 8, buffer, 0, 4096, 0);
            assertThatThrownBy(() -> q.drain((tag, status, cid) -> { }))
                    .isInstanceOf(ControllerFatalException.class).hasMessageContaining("CSTS");
            assertThatThrownBy(rig::close).isInstanceOf(ControllerFatalException.class);
        }
    }

    @Test
    void closeShutsTheControllerDown() throws Exception {
        SimulatedRig rig = new SimulatedRig(MEDIA, ControllerOptions.defaults());
        assertThat(rig.controller.shutdownComplete()).isFalse();
        rig.controller.close();
        assertThat(rig.controller.shutdownComplete()).isTrue();
        rig.close();
    }

    @Test
    void restartsAControllerLeftEnabled() throws Exception {
        try (Arena arena = Arena.ofShared(); SimulatedDma dma = new SimulatedDma()) {
            MemorySegment media = arena.allocate(MEDIA, 4096);
            try (SimulatedController device = new SimulatedController(SimulatedController.Config.qemuLike("SIM-0002"), dma, media)) {
                // The first driver instance dies without closing: CC.EN = 1, CSTS.RDY = 1, queues live.
                NvmeController abandoned = NvmeController.start(new RegisterFile(device.bar0()), dma, ControllerOptions.defaults());
                assertThat(abandoned.identity().serialNumber()).isEqualTo("SIM-0002");
                // The next must disable, wait for RDY = 0, reconfigure and enable again.
                NvmeController second = NvmeController.start(new RegisterFile(device.bar0()), dma, ControllerOptions.defaults());
                assertThat(second.namespace(1).byteSize()).isEqualTo(MEDIA);
                second.close();
                assertThat(second.shutdownComplete()).isTrue();
            }
        }
    }
}
