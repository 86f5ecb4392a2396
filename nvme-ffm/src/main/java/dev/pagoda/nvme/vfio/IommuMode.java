package dev.pagoda.nvme.vfio;

/** How the device's DMA addresses are translated. */
public enum IommuMode {
    /** Type-1 IOMMU: the driver maps each buffer at an IOVA it chooses. */
    TYPE1,
    /** No IOMMU (vfio's unsafe noiommu mode): the device sees physical addresses. */
    NOIOMMU
}
