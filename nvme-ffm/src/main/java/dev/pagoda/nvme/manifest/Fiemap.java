package dev.pagoda.nvme.manifest;

import static dev.pagoda.nvme.ffm.raw.fiemap_h.*;

import dev.pagoda.nvme.ffm.Libc;
import dev.pagoda.nvme.ffm.raw.libc_h;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A file's extents from the FS_IOC_FIEMAP ioctl, relative to its block device (partition). */
public final class Fiemap {
    private Fiemap() {}

    /** One extent as the filesystem reports it. */
    public record Extent(long logical, long physical, long length, int flags) {}

    /** Flags that mean the bytes are not plainly where fe_physical says, or not there yet. */
    public static final int UNREADABLE_FLAGS = FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC | FIEMAP_EXTENT_ENCODED
            | FIEMAP_EXTENT_DATA_ENCRYPTED | FIEMAP_EXTENT_NOT_ALIGNED | FIEMAP_EXTENT_DATA_INLINE
            | FIEMAP_EXTENT_DATA_TAIL | FIEMAP_EXTENT_UNWRITTEN;

    private static final int BATCH = 128;

    /** Every extent of {@code file}, after syncing it (FIEMAP_FLAG_SYNC). */
    public static List<Extent> extents(Path file) throws IOException {
        List<Extent> result = new ArrayList<>();
        int fd = Libc.open(file.toString(), libc_h.O_RDONLY);
        try (Arena arena = Arena.ofConfined()) {
            long header = fiemap.byteSize();
            long entry = fiemap_extent.byteSize();
            MemorySegment request = arena.allocate(header + BATCH * entry, 8);
            long start = 0;
            boolean last = false;
            while (!last) {
                request.fill((byte) 0);
                request.set(ValueLayout.JAVA_LONG, off(fiemap, "fm_start"), start);
                request.set(ValueLayout.JAVA_LONG, off(fiemap, "fm_length"), Long.MAX_VALUE - start);
                request.set(ValueLayout.JAVA_INT, off(fiemap, "fm_flags"), FIEMAP_FLAG_SYNC);
                request.set(ValueLayout.JAVA_INT, off(fiemap, "fm_extent_count"), BATCH);
                Libc.ioctl(fd, FS_IOC_FIEMAP, request, "FS_IOC_FIEMAP on " + file);
                int mapped = request.get(ValueLayout.JAVA_INT, off(fiemap, "fm_mapped_extents"));
                if (mapped == 0) {
                    break;
                }
                for (int i = 0; i < mapped; i++) {
                    long at = header + i * entry;
                    Extent e = new Extent(
                            request.get(ValueLayout.JAVA_LONG, at + off(fiemap_extent, "fe_logical")),
                            request.get(ValueLayout.JAVA_LONG, at + off(fiemap_extent, "fe_physical")),
                            request.get(ValueLayout.JAVA_LONG, at + off(fiemap_extent, "fe_length")),
                            request.get(ValueLayout.JAVA_INT, at + off(fiemap_extent, "fe_flags")));
                    result.add(e);
                    start = e.logical() + e.length();
                    last = (e.flags() & FIEMAP_EXTENT_LAST) != 0;
                }
            }
        } finally {
            Libc.close(fd);
        }
        return result;
    }

    private static long off(java.lang.foreign.StructLayout s, String member) {
        return s.byteOffset(PathElement.groupElement(member));
    }
}
