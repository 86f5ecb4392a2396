// Generated in jextract's shape from cuda-ffm/jextract/cuda_h.args (header /usr/local/cuda/include/cuda.h).
// Do not edit by hand: change the args file and regenerate.
package dev.pagoda.cuda.raw;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@snippet lang=c :
 * struct CUlaunchAttribute_st {
 *     CUlaunchAttributeID id;
 *     char pad[4];
 *     CUlaunchAttributeValue value;
 * }
 * }
 * Of the value union only the 64-byte padding and the int member read for
 * {@code CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION} are bound.
 */
public final class CUlaunchAttribute_st {

    private CUlaunchAttribute_st() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        cuda_h.C_INT.withName("id"),
        MemoryLayout.sequenceLayout(4, cuda_h.C_CHAR).withName("pad"),
        MemoryLayout.unionLayout(
            MemoryLayout.sequenceLayout(64, cuda_h.C_CHAR).withName("pad"),
            cuda_h.C_INT.withName("programmaticStreamSerializationAllowed")
        ).withName("value")
    ).withName("CUlaunchAttribute_st");

    /** The layout of this struct. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt id$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("id"));

    /** Layout for field: {@snippet lang=c : CUlaunchAttributeID id } */
    public static ValueLayout.OfInt id$layout() {
        return id$LAYOUT;
    }

    private static final long id$OFFSET = 0;

    /** Offset for field: {@snippet lang=c : CUlaunchAttributeID id } */
    public static long id$offset() {
        return id$OFFSET;
    }

    /** Getter for field: {@snippet lang=c : CUlaunchAttributeID id } */
    public static int id(MemorySegment struct) {
        return struct.get(id$LAYOUT, id$OFFSET);
    }

    /** Setter for field: {@snippet lang=c : CUlaunchAttributeID id } */
    public static void id(MemorySegment struct, int fieldValue) {
        struct.set(id$LAYOUT, id$OFFSET, fieldValue);
    }

    private static final GroupLayout value$LAYOUT = (GroupLayout) $LAYOUT.select(MemoryLayout.PathElement.groupElement("value"));

    /** Layout for field: {@snippet lang=c : CUlaunchAttributeValue value } */
    public static GroupLayout value$layout() {
        return value$LAYOUT;
    }

    private static final long value$OFFSET = 8;

    /** Offset for field: {@snippet lang=c : CUlaunchAttributeValue value } */
    public static long value$offset() {
        return value$OFFSET;
    }

    /** Getter for field: {@snippet lang=c : CUlaunchAttributeValue value } */
    public static MemorySegment value(MemorySegment struct) {
        return struct.asSlice(value$OFFSET, value$LAYOUT.byteSize());
    }

    /** The value union's {@code int programmaticStreamSerializationAllowed}. */
    public static void programmaticStreamSerializationAllowed(MemorySegment struct, int fieldValue) {
        struct.set(cuda_h.C_INT, value$OFFSET, fieldValue);
    }

    /** Allocate a segment of size {@code layout().byteSize()} using {@code allocator}. */
    public static MemorySegment allocate(java.lang.foreign.SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }
}
