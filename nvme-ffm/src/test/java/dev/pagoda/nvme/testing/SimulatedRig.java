package dev.pagoda.nvme.testing;

import dev.pagoda.nvme.driver.ControllerOptions;
import dev.pagoda.nvme.driver.NvmeController;
import dev.pagoda.nvme.driver.RegisterFile;
import dev.pagoda.nvme.sim.SimulatedController;
import dev.pagoda.nvme.sim.SimulatedDma;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A simulated controller over a pattern-filled namespace, and the driver started on it. */
public final class SimulatedRig implements AutoCloseable {
    public final Arena arena = Arena.ofShared();
    public final MemorySegment media;
    public final SimulatedDma dma = new SimulatedDma();
    public final SimulatedController device;
    public final NvmeController controller;
    private boolean closed;

    public SimulatedRig(long mediaBytes, ControllerOptions options) throws IOException {
        media = arena.allocate(mediaBytes, 4096);
        KnownPattern.fill(media, 0);
        device = new SimulatedController(SimulatedController.Config.qemuLike("SIM-0001"), dma, media);
        controller = NvmeController.start(new RegisterFile(device.bar0()), dma, options);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            controller.close();
        } finally {
            device.close();
            dma.close();
            arena.close();
        }
    }
}
