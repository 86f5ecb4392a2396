// Generated in jextract's shape from cuda-ffm/jextract/cuda_h.args (header /usr/local/cuda/include/cuda.h).
// Do not edit by hand: change the args file and regenerate.
package dev.pagoda.cuda.raw;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;

/**
 * {@snippet lang=c :
 * struct CUuuid_st {
 *     char bytes[16];
 * }
 * }
 */
public final class CUuuid_st {

    private CUuuid_st() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(16, cuda_h.C_CHAR).withName("bytes")
    ).withName("CUuuid_st");

    /** The layout of this struct. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    private static final SequenceLayout bytes$LAYOUT = (SequenceLayout) $LAYOUT.select(MemoryLayout.PathElement.groupElement("bytes"));

    /** Layout for field: {@snippet lang=c : char bytes[16] } */
    public static SequenceLayout bytes$layout() {
        return bytes$LAYOUT;
    }

    private static final long bytes$OFFSET = 0;

    /** Offset for field: {@snippet lang=c : char bytes[16] } */
    public static long bytes$offset() {
        return bytes$OFFSET;
    }

    /** Getter for field: {@snippet lang=c : char bytes[16] } */
    public static MemorySegment bytes(MemorySegment struct) {
        return struct.asSlice(bytes$OFFSET, 16);
    }

    /** Allocate a segment of size {@code layout().byteSize()} using {@code allocator}. */
    public static MemorySegment allocate(java.lang.foreign.SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }
}
