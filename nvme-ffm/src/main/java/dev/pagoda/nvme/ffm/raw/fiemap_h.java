package dev.pagoda.nvme.ffm.raw;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.List;

/** linux/fiemap.h and linux/fs.h: the FS_IOC_FIEMAP ioctl and its structures. */
@SuppressWarnings("checkstyle:TypeName")
public final class fiemap_h {
    private fiemap_h() {}

    /** _IOWR('f', 11, struct fiemap). */
    public static final long FS_IOC_FIEMAP = 0xC020660BL;
    public static final int FIEMAP_FLAG_SYNC = 0x1;
    public static final int FIEMAP_EXTENT_LAST = 0x1;
    public static final int FIEMAP_EXTENT_UNKNOWN = 0x2;
    public static final int FIEMAP_EXTENT_DELALLOC = 0x4;
    public static final int FIEMAP_EXTENT_ENCODED = 0x8;
    public static final int FIEMAP_EXTENT_DATA_ENCRYPTED = 0x80;
    public static final int FIEMAP_EXTENT_NOT_ALIGNED = 0x100;
    public static final int FIEMAP_EXTENT_DATA_INLINE = 0x200;
    public static final int FIEMAP_EXTENT_DATA_TAIL = 0x400;
    public static final int FIEMAP_EXTENT_UNWRITTEN = 0x800;
    public static final int FIEMAP_EXTENT_MERGED = 0x1000;

    /** struct fiemap, without its flexible fm_extents[] tail. */
    public static final StructLayout fiemap = MemoryLayout.structLayout(
            JAVA_LONG.withName("fm_start"),
            JAVA_LONG.withName("fm_length"),
            JAVA_INT.withName("fm_flags"),
            JAVA_INT.withName("fm_mapped_extents"),
            JAVA_INT.withName("fm_extent_count"),
            JAVA_INT.withName("fm_reserved")).withName("fiemap");

    /** struct fiemap_extent. */
    public static final StructLayout fiemap_extent = MemoryLayout.structLayout(
            JAVA_LONG.withName("fe_logical"),
            JAVA_LONG.withName("fe_physical"),
            JAVA_LONG.withName("fe_length"),
            MemoryLayout.sequenceLayout(2, JAVA_LONG).withName("fe_reserved64"),
            JAVA_INT.withName("fe_flags"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("fe_reserved")).withName("fiemap_extent");

    /** Every structure above, for the conformance test. */
    public static final List<StructLayout> STRUCTS = List.of(fiemap, fiemap_extent);
}
