/**
 * The bridge from an ordinary file to raw reads: the file's physical extents (FIEMAP plus the
 * partition offset) and its device's identity, recorded in a small text manifest before the
 * device leaves the kernel, and a read source that maps file offsets through those extents.
 */
package dev.pagoda.nvme.manifest;
