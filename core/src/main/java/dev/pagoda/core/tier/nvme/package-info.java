/**
 * Tier C through the userspace NVMe driver: a model file read from its namespace by way of its
 * extent manifest ({@code pagoda nvme manifest}), with the controller bound to vfio-pci, several
 * reads in flight on one I/O queue pair per reading thread. {@link dev.pagoda.core.tier.nvme.NvmeFileReader}
 * owns the device; see docs/NVME.md, "Tier C".
 */
package dev.pagoda.core.tier.nvme;
