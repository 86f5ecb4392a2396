package dev.pagoda.nvme.vfio;

import static dev.pagoda.nvme.ffm.raw.vfio_h.*;

import dev.pagoda.nvme.dma.DmaAllocator;
import dev.pagoda.nvme.ffm.Libc;
import dev.pagoda.nvme.ffm.NativeCallException;
import dev.pagoda.nvme.ffm.raw.libc_h;
import dev.pagoda.nvme.ffm.raw.vfio_h;
import dev.pagoda.nvme.spec.PciConfig;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One PCI function bound to vfio-pci: its container, group and device file descriptors, BAR0
 * mapped into this process, and its configuration space. Closing unmaps BAR0 and closes the
 * descriptors (the kernel then resets the function and tears down every DMA mapping).
 */
public final class VfioPciDevice implements AutoCloseable {
    private static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

    private final String address;
    private final IommuMode mode;
    private final int container;
    private final int group;
    private final int device;
    private final long configOffset;
    private final MemorySegment bar0;
    private final List<IovaRange> iovaRanges;
    private boolean closed;

    private VfioPciDevice(String address, IommuMode mode, int container, int group, int device,
                          long configOffset, MemorySegment bar0, List<IovaRange> iovaRanges) {
        this.address = address;
        this.mode = mode;
        this.container = container;
        this.group = group;
        this.device = device;
        this.configOffset = configOffset;
        this.bar0 = bar0;
        this.iovaRanges = iovaRanges;
    }

    /**
     * Opens the function at PCI {@code address} (such as 0000:00:04.0), which must already be
     * bound to vfio-pci. The IOMMU group comes from sysfs; /dev/vfio/N means a type-1 IOMMU,
     * /dev/vfio/noiommu-N the unsafe noiommu mode.
     */
    public static VfioPciDevice open(String address) throws IOException {
        if (!PCI_ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("not a PCI address (dddd:bb:dd.f, lower-case hex): " + address);
        }
        Path groupLink = Path.of("/sys/bus/pci/devices", address, "iommu_group");
        if (!Files.exists(groupLink)) {
            throw new IOException("PCI device " + address + " has no IOMMU group (" + groupLink + " missing):"
                    + " is the IOMMU on (intel_iommu=on) and the device bound to vfio-pci?");
        }
        String groupNumber = Files.readSymbolicLink(groupLink).getFileName().toString();
        Path type1 = Path.of("/dev/vfio", groupNumber);
        Path noiommu = Path.of("/dev/vfio", "noiommu-" + groupNumber);
        IommuMode mode;
        Path groupPath;
        if (Files.exists(type1)) {
            mode = IommuMode.TYPE1;
            groupPath = type1;
        } else if (Files.exists(noiommu)) {
            mode = IommuMode.NOIOMMU;
            groupPath = noiommu;
        } else {
            throw new IOException("neither " + type1 + " nor " + noiommu + " exists: bind " + address + " to vfio-pci first");
        }
        List<Integer> opened = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            int container = Libc.open("/dev/vfio/vfio", libc_h.O_RDWR);
            opened.add(container);
            int api = Libc.ioctl(container, VFIO_GET_API_VERSION, 0L, "VFIO_GET_API_VERSION");
            if (api != VFIO_API_VERSION) {
                throw new IOException("VFIO API version " + api + ", expected " + VFIO_API_VERSION);
            }
            int iommuType = mode == IommuMode.TYPE1 ? VFIO_TYPE1v2_IOMMU : VFIO_NOIOMMU_IOMMU;
            if (Libc.ioctl(container, VFIO_CHECK_EXTENSION, iommuType, "VFIO_CHECK_EXTENSION") == 0) {
                if (mode == IommuMode.TYPE1
                        && Libc.ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU, "VFIO_CHECK_EXTENSION") != 0) {
                    iommuType = VFIO_TYPE1_IOMMU;
                } else {
                    throw new IOException("the VFIO container does not support IOMMU type " + iommuType);
                }
            }
            int group = Libc.open(groupPath.toString(), libc_h.O_RDWR);
            opened.add(group);
            MemorySegment status = arena.allocate(vfio_group_status);
            status.set(ValueLayout.JAVA_INT, 0, (int) vfio_group_status.byteSize());
            Libc.ioctl(group, VFIO_GROUP_GET_STATUS, status, "VFIO_GROUP_GET_STATUS");
            if ((status.get(ValueLayout.JAVA_INT, 4) & VFIO_GROUP_FLAGS_VIABLE) == 0) {
                throw new IOException("IOMMU group " + groupPath + " is not viable: every device in it must be bound"
                        + " to vfio-pci or have no driver");
            }
            MemorySegment containerFd = arena.allocateFrom(ValueLayout.JAVA_INT, container);
            Libc.ioctl(group, VFIO_GROUP_SET_CONTAINER, containerFd, "VFIO_GROUP_SET_CONTAINER");
            Libc.ioctl(container, VFIO_SET_IOMMU, iommuType, "VFIO_SET_IOMMU");
            List<IovaRange> ranges = mode == IommuMode.TYPE1 ? iovaRanges(container, arena) : List.of();
            int device = Libc.ioctl(group, VFIO_GROUP_GET_DEVICE_FD, arena.allocateFrom(address),
                    "VFIO_GROUP_GET_DEVICE_FD");
            opened.add(device);
            MemorySegment info = arena.allocate(vfio_device_info);
            info.set(ValueLayout.JAVA_INT, 0, (int) vfio_device_info.byteSize());
            Libc.ioctl(device, VFIO_DEVICE_GET_INFO, info, "VFIO_DEVICE_GET_INFO");
            int flags = info.get(ValueLayout.JAVA_INT, offset(vfio_device_info, "flags"));
            int regions = info.get(ValueLayout.JAVA_INT, offset(vfio_device_info, "num_regions"));
            if ((flags & VFIO_DEVICE_FLAGS_PCI) == 0 || regions <= VFIO_PCI_CONFIG_REGION_INDEX) {
                throw new IOException(address + " is not a vfio-pci device (flags 0x" + Integer.toHexString(flags)
                        + ", " + regions + " regions)");
            }
            RegionInfo bar = regionInfo(device, VFIO_PCI_BAR0_REGION_INDEX, arena);
            if ((bar.flags & VFIO_REGION_INFO_FLAG_MMAP) == 0 || bar.size == 0) {
                throw new IOException("BAR0 of " + address + " cannot be mapped (flags 0x"
                        + Integer.toHexString(bar.flags) + ", size " + bar.size + ")");
            }
            RegionInfo config = regionInfo(device, VFIO_PCI_CONFIG_REGION_INDEX, arena);
            MemorySegment bar0 = Libc.mmap(bar.size, libc_h.PROT_READ | libc_h.PROT_WRITE, libc_h.MAP_SHARED,
                    device, bar.offset, "BAR0 of " + address);
            VfioPciDevice d = new VfioPciDevice(address, mode, container, group, device, config.offset, bar0, ranges);
            opened.clear();
            return d;
        } finally {
            for (int fd : opened.reversed()) {
                try {
                    Libc.close(fd);
                } catch (NativeCallException ignored) {
                    // already failing: the first error is the one to report
                }
            }
        }
    }

    private record RegionInfo(int flags, long size, long offset) {}

    private static RegionInfo regionInfo(int device, int index, Arena arena) throws NativeCallException {
        MemorySegment r = arena.allocate(vfio_region_info);
        r.set(ValueLayout.JAVA_INT, 0, (int) vfio_region_info.byteSize());
        r.set(ValueLayout.JAVA_INT, offset(vfio_region_info, "index"), index);
        Libc.ioctl(device, VFIO_DEVICE_GET_REGION_INFO, r, "VFIO_DEVICE_GET_REGION_INFO");
        return new RegionInfo(r.get(ValueLayout.JAVA_INT, offset(vfio_region_info, "flags")),
                r.get(ValueLayout.JAVA_LONG, offset(vfio_region_info, "size")),
                r.get(ValueLayout.JAVA_LONG, offset(vfio_region_info, "offset")));
    }

    /** The IOVA ranges of capability VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, or the 39-bit space when absent. */
    private static List<IovaRange> iovaRanges(int container, Arena arena) throws IOException {
        int size = (int) vfio_iommu_type1_info.byteSize();
        MemorySegment info = arena.allocate(size, 8);
        info.set(ValueLayout.JAVA_INT, 0, size);
        Libc.ioctl(container, VFIO_IOMMU_GET_INFO, info, "VFIO_IOMMU_GET_INFO");
        int needed = info.get(ValueLayout.JAVA_INT, 0);
        if (needed > size) {
            info = arena.allocate(needed, 8);
            info.set(ValueLayout.JAVA_INT, 0, needed);
            Libc.ioctl(container, VFIO_IOMMU_GET_INFO, info, "VFIO_IOMMU_GET_INFO");
        }
        List<IovaRange> ranges = new ArrayList<>();
        int flags = info.get(ValueLayout.JAVA_INT, offset(vfio_iommu_type1_info, "flags"));
        if ((flags & VFIO_IOMMU_INFO_CAPS) != 0) {
            int cap = info.get(ValueLayout.JAVA_INT, offset(vfio_iommu_type1_info, "cap_offset"));
            // Capabilities sit at any 4-byte offset (the first often at 84): read them unaligned.
            while (cap != 0 && cap + 16 <= info.byteSize()) {
                int id = Short.toUnsignedInt(info.get(ValueLayout.JAVA_SHORT_UNALIGNED, cap));
                int next = info.get(ValueLayout.JAVA_INT_UNALIGNED, cap + 4);
                if (id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
                    int count = info.get(ValueLayout.JAVA_INT_UNALIGNED, cap + 8);
                    long first = cap + vfio_iommu_type1_info_cap_iova_range.byteSize();
                    for (int i = 0; i < count; i++) {
                        long at = first + i * vfio_iova_range.byteSize();
                        ranges.add(new IovaRange(info.get(ValueLayout.JAVA_LONG_UNALIGNED, at), info.get(ValueLayout.JAVA_LONG_UNALIGNED, at + 8)));
                    }
                }
                cap = next;
            }
        }
        if (ranges.isEmpty()) {
            // Kernels before 5.4 report no ranges; 39 bits is the smallest width Intel IOMMUs implement.
            ranges.add(new IovaRange(0, (1L << 39) - 1));
        }
        return List.copyOf(ranges);
    }

    static long offset(java.lang.foreign.StructLayout struct, String member) {
        return struct.byteOffset(PathElement.groupElement(member));
    }

    /** The PCI address this device was opened with. */
    public String address() {
        return address;
    }

    /** How DMA addresses are translated for this device. */
    public IommuMode mode() {
        return mode;
    }

    /** The IOVA ranges the IOMMU accepts (empty in noiommu mode). */
    public List<IovaRange> iovaRanges() {
        return iovaRanges;
    }

    /** BAR0 mapped into this process: the controller's registers and doorbells. */
    public MemorySegment bar0() {
        return bar0;
    }

    /** Reads a 16-bit PCI configuration register. */
    public int readConfig16(int offset) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(2);
            Libc.preadFully(device, value, configOffset + offset, "PCI config of " + address);
            return Short.toUnsignedInt(value.get(ValueLayout.JAVA_SHORT, 0));
        }
    }

    /** Writes a 16-bit PCI configuration register. */
    public void writeConfig16(int offset, int value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(ValueLayout.JAVA_SHORT, (short) value);
            Libc.pwriteFully(device, v, configOffset + offset, "PCI config of " + address);
        }
    }

    /**
     * Turns on memory space decoding and bus mastering (vfio-pci leaves bus mastering off, and
     * without it every DMA of the controller fails), and INTx off since the driver polls.
     */
    public void enableBusMastering() throws IOException {
        int command = readConfig16(PciConfig.COMMAND);
        int wanted = command | PciConfig.COMMAND_MEMORY_SPACE | PciConfig.COMMAND_BUS_MASTER
                | PciConfig.COMMAND_INTX_DISABLE;
        if (wanted != command) {
            writeConfig16(PciConfig.COMMAND, wanted);
        }
        int after = readConfig16(PciConfig.COMMAND);
        if ((after & (PciConfig.COMMAND_MEMORY_SPACE | PciConfig.COMMAND_BUS_MASTER))
                != (PciConfig.COMMAND_MEMORY_SPACE | PciConfig.COMMAND_BUS_MASTER)) {
            throw new IOException("PCI command register of " + address + " reads 0x" + Integer.toHexString(after)
                    + " after enabling memory space and bus mastering");
        }
    }

    /** A DMA allocator suited to this device's IOMMU mode; close it before the device. */
    public DmaAllocator dmaAllocator() throws IOException {
        return switch (mode) {
            case TYPE1 -> new Type1DmaAllocator(container, new IovaSpace(iovaRanges));
            case NOIOMMU -> new NoIommuDmaAllocator(new PagemapTranslator(PagemapTranslator.SELF, Libc.pageSize()));
        };
    }

    int containerFd() {
        return container;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        Libc.munmap(bar0);
        Libc.close(device);
        Libc.close(group);
        Libc.close(container);
    }

    /** The struct vfio_iommu_type1_dma_map layout, for the allocator. */
    static java.lang.foreign.StructLayout dmaMapLayout() {
        return vfio_h.vfio_iommu_type1_dma_map;
    }
}
