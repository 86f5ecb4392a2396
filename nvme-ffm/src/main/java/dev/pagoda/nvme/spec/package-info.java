/**
 * The NVMe base specification as data, and nothing else: register offsets, queue entry layouts,
 * opcodes and status codes, named with the specification's own mnemonics, as shift and mask
 * constants with a one-line meaning each. No logic lives here; the driver reads these names.
 * Every offset and size is asserted by a test against the specification's tables.
 */
package dev.pagoda.nvme.spec;
