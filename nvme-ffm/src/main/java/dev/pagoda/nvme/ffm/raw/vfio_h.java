package dev.pagoda.nvme.ffm.raw;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.List;

/** linux/vfio.h: ioctl numbers, flags and structures of the VFIO uapi. */
@SuppressWarnings("checkstyle:TypeName")
public final class vfio_h {
    private vfio_h() {}

    public static final int VFIO_API_VERSION = 0;
    public static final int VFIO_TYPE1_IOMMU = 1;
    public static final int VFIO_TYPE1v2_IOMMU = 3;
    public static final int VFIO_NOIOMMU_IOMMU = 8;

    // _IO(';', 100 + n)
    public static final long VFIO_GET_API_VERSION = 0x3B64;
    public static final long VFIO_CHECK_EXTENSION = 0x3B65;
    public static final long VFIO_SET_IOMMU = 0x3B66;
    public static final long VFIO_GROUP_GET_STATUS = 0x3B67;
    public static final long VFIO_GROUP_SET_CONTAINER = 0x3B68;
    public static final long VFIO_GROUP_UNSET_CONTAINER = 0x3B69;
    public static final long VFIO_GROUP_GET_DEVICE_FD = 0x3B6A;
    public static final long VFIO_DEVICE_GET_INFO = 0x3B6B;
    public static final long VFIO_DEVICE_GET_REGION_INFO = 0x3B6C;
    public static final long VFIO_DEVICE_GET_IRQ_INFO = 0x3B6D;
    public static final long VFIO_DEVICE_RESET = 0x3B6F;
    public static final long VFIO_IOMMU_GET_INFO = 0x3B70;
    public static final long VFIO_IOMMU_MAP_DMA = 0x3B71;
    public static final long VFIO_IOMMU_UNMAP_DMA = 0x3B72;

    public static final int VFIO_GROUP_FLAGS_VIABLE = 1 << 0;
    public static final int VFIO_GROUP_FLAGS_CONTAINER_SET = 1 << 1;
    public static final int VFIO_DEVICE_FLAGS_RESET = 1 << 0;
    public static final int VFIO_DEVICE_FLAGS_PCI = 1 << 1;
    public static final int VFIO_REGION_INFO_FLAG_READ = 1 << 0;
    public static final int VFIO_REGION_INFO_FLAG_WRITE = 1 << 1;
    public static final int VFIO_REGION_INFO_FLAG_MMAP = 1 << 2;
    public static final int VFIO_IRQ_INFO_EVENTFD = 1 << 0;
    public static final int VFIO_IOMMU_INFO_PGSIZES = 1 << 0;
    public static final int VFIO_IOMMU_INFO_CAPS = 1 << 1;
    public static final int VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE = 1;
    public static final int VFIO_DMA_MAP_FLAG_READ = 1 << 0;
    public static final int VFIO_DMA_MAP_FLAG_WRITE = 1 << 1;

    // enum { VFIO_PCI_BAR0_REGION_INDEX, ..., VFIO_PCI_CONFIG_REGION_INDEX = 7, ... }
    public static final int VFIO_PCI_BAR0_REGION_INDEX = 0;
    public static final int VFIO_PCI_CONFIG_REGION_INDEX = 7;
    public static final int VFIO_PCI_NUM_REGIONS = 9;
    public static final int VFIO_PCI_INTX_IRQ_INDEX = 0;
    public static final int VFIO_PCI_MSIX_IRQ_INDEX = 2;

    /** struct vfio_group_status. */
    public static final StructLayout vfio_group_status = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"),
            JAVA_INT.withName("flags")).withName("vfio_group_status");

    /** struct vfio_device_info. */
    public static final StructLayout vfio_device_info = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("num_regions"),
            JAVA_INT.withName("num_irqs"),
            JAVA_INT.withName("cap_offset")).withName("vfio_device_info");

    /** struct vfio_region_info. */
    public static final StructLayout vfio_region_info = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("index"),
            JAVA_INT.withName("cap_offset"),
            JAVA_LONG.withName("size"),
            JAVA_LONG.withName("offset")).withName("vfio_region_info");

    /** struct vfio_irq_info. */
    public static final StructLayout vfio_irq_info = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("index"),
            JAVA_INT.withName("count")).withName("vfio_irq_info");

    /** struct vfio_iommu_type1_info. */
    public static final StructLayout vfio_iommu_type1_info = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("iova_pgsizes"),
            JAVA_INT.withName("cap_offset"),
            MemoryLayout.paddingLayout(4)).withName("vfio_iommu_type1_info");

    /** struct vfio_info_cap_header. */
    public static final StructLayout vfio_info_cap_header = MemoryLayout.structLayout(
            JAVA_SHORT.withName("id"),
            JAVA_SHORT.withName("version"),
            JAVA_INT.withName("next")).withName("vfio_info_cap_header");

    /** struct vfio_iova_range. */
    public static final StructLayout vfio_iova_range = MemoryLayout.structLayout(
            JAVA_LONG.withName("start"),
            JAVA_LONG.withName("end")).withName("vfio_iova_range");

    /** struct vfio_iommu_type1_info_cap_iova_range, without its flexible iova_ranges[] tail. */
    public static final StructLayout vfio_iommu_type1_info_cap_iova_range = MemoryLayout.structLayout(
            vfio_info_cap_header.withName("header"),
            JAVA_INT.withName("nr_iovas"),
            JAVA_INT.withName("reserved")).withName("vfio_iommu_type1_info_cap_iova_range");

    /** struct vfio_iommu_type1_dma_map. */
    public static final StructLayout vfio_iommu_type1_dma_map = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("vaddr"),
            JAVA_LONG.withName("iova"),
            JAVA_LONG.withName("size")).withName("vfio_iommu_type1_dma_map");

    /** struct vfio_iommu_type1_dma_unmap, without its flexible data[] tail. */
    public static final StructLayout vfio_iommu_type1_dma_unmap = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("iova"),
            JAVA_LONG.withName("size")).withName("vfio_iommu_type1_dma_unmap");

    /** Every structure above, for the conformance test. */
    public static final List<StructLayout> STRUCTS = List.of(
            vfio_group_status, vfio_device_info, vfio_region_info, vfio_irq_info,
            vfio_iommu_type1_info, vfio_info_cap_header, vfio_iova_range,
            vfio_iommu_type1_info_cap_iova_range, vfio_iommu_type1_dma_map, vfio_iommu_type1_dma_unmap);
}
