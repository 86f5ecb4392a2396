/**
 * A register-level model of an NVMe controller, in process: a BAR0 {@link java.lang.foreign.MemorySegment}
 * whose registers and doorbells a worker thread serves as the specification says, reading
 * queues and data buffers through {@link dev.pagoda.nvme.sim.SimulatedDma}'s bus addresses. It
 * lets the driver's unit tests and benchmarks run without hardware; QEMU's controller in the
 * guest tests is the reference it does not replace.
 */
package dev.pagoda.nvme.sim;
