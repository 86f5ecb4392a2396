/**
 * Byte-addressed read sources: the small interface core's tiering reads weights through, with a
 * plain-file implementation, a raw-namespace implementation over the driver, and one that reads
 * a file's bytes from the namespace through its recorded extents.
 */
package dev.pagoda.nvme.source;
