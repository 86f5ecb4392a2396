/**
 * The NVMe driver over a BAR0 segment and a {@link dev.pagoda.nvme.dma.DmaAllocator}: controller
 * start-up as an explicit state machine, the admin queue, polled I/O queue pairs, and reads.
 * It only reads: the commands it can issue form the closed set {@link dev.pagoda.nvme.driver.AllowedCommand}.
 */
package dev.pagoda.nvme.driver;
