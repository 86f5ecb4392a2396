/**
 * Memory the controller can reach by DMA: page-aligned host memory paired with the bus address
 * of each page (an IOVA mapped through the IOMMU, or a physical address in noiommu mode).
 */
package dev.pagoda.nvme.dma;
