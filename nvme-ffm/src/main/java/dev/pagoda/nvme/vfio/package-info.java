/**
 * A PCI device bound to vfio-pci, seen from user space: container, group and device file
 * descriptors, the BAR0 mapping, PCI configuration space, and DMA memory mapped through the
 * type-1 IOMMU (or translated from /proc/self/pagemap in noiommu mode).
 */
package dev.pagoda.nvme.vfio;
