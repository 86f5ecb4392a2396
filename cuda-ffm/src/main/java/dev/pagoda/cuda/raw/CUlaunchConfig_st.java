// Generated in jextract's shape from cuda-ffm/jextract/cuda_h.args (header /usr/local/cuda/include/cuda.h).
// Do not edit by hand: change the args file and regenerate.
package dev.pagoda.cuda.raw;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@snippet lang=c :
 * struct CUlaunchConfig_st {
 *     unsigned int gridDimX;
 *     unsigned int gridDimY;
 *     unsigned int gridDimZ;
 *     unsigned int blockDimX;
 *     unsigned int blockDimY;
 *     unsigned int blockDimZ;
 *     unsigned int sharedMemBytes;
 *     CUstream hStream;
 *     CUlaunchAttribute *attrs;
 *     unsigned int numAttrs;
 * }
 * }
 */
public final class CUlaunchConfig_st {

    private CUlaunchConfig_st() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        cuda_h.C_INT.withName("gridDimX"),
        cuda_h.C_INT.withName("gridDimY"),
        cuda_h.C_INT.withName("gridDimZ"),
        cuda_h.C_INT.withName("blockDimX"),
        cuda_h.C_INT.withName("blockDimY"),
        cuda_h.C_INT.withName("blockDimZ"),
        cuda_h.C_INT.withName("sharedMemBytes"),
        MemoryLayout.paddingLayout(4),
        cuda_h.C_POINTER.withName("hStream"),
        cuda_h.C_POINTER.withName("attrs"),
        cuda_h.C_INT.withName("numAttrs"),
        MemoryLayout.paddingLayout(4)
    ).withName("CUlaunchConfig_st");

    /** The layout of this struct. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt gridDimX$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("gridDimX"));

    /** Layout for field: {@snippet lang=c : unsigned int gridDimX } */
    public static ValueLayout.OfInt gridDimX$layout() {
        return gridDimX$LAYOUT;
    }

    private static final long gridDimX$OFFSET = 0;

    /** Offset for field: {@snippet lang=c : unsigned int gridDimX } */
    public static long gridDimX$offset() {
        return gridDimX$OFFSET;
    }

    /** Getter for field: {@snippet lang=c : unsigned int gridDimX } */
    public static int gridDimX(MemorySegment struct) {
        return struct.get(gridDimX$LAYOUT, gridDimX$OFFSET);
    }

    /** Setter for field: {@snippet lang=c : unsigned int gridDimX } */
    public static void gridDimX(MemorySegment struct, int fieldValue) {
        struct.set(gridDimX$LAYOUT, gridDimX$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt gridDimY$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("gridDimY"));

    /** Layout for field: {@snippet lang=c : unsigned int gridDimY } */
    public static ValueLayout.OfInt gridDimY$layout() {
        return gridDimY$LAYOUT;
    }

    private static final long gridDimY$OFFSET = 4;

    /** Offset for field: {@snippet lang=c : unsigned int gridDimY } */
    public static long gridDimY$offset() {
        return gridDimY$OFFSET;
    }

    /** Getter for field: {@snippet lang=c : unsigned int gridDimY } */
    public static int gridDimY(MemorySegment struct) {
        return struct.get(gridDimY$LAYOUT, gridDimY$OFFSET);
    }

    /** Setter for field: {@snippet lang=c : unsigned int gridDimY } */
    public static void gridDimY(MemorySegment struct, int fieldValue) {
        struct.set(gridDimY$LAYOUT, gridDimY$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt gridDimZ$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("gridDimZ"));

    /** Layout for field: {@snippet lang=c : unsigned int gridDimZ } */
    public static ValueLayout.OfInt gridDimZ$layout() {
        return gridDimZ$LAYOUT;
    }

    private static final long gridDimZ$OFFSET = 8;

    /** Offset for field: {@snippet lang=c : unsigned int gridDimZ } */
    public static long gridDimZ$offset() {
        return gridDimZ$OFFSET;
    }

    /** Getter for field: {@snippet lang=c : unsigned int gridDimZ } */
    public static int gridDimZ(MemorySegment struct) {
        return struct.get(gridDimZ$LAYOUT, gridDimZ$OFFSET);
    }

    /** Setter for field: {@snippet lang=c : unsigned int gridDimZ } */
    public static void gridDimZ(MemorySegment struct, int fieldValue) {
        struct.set(gridDimZ$LAYOUT, gridDimZ$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt blockDimX$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("blockDimX"));

    /** Layout for field: {@snippet lang=c : unsigned int blockDimX } */
    public static ValueLayout.OfInt blockDimX$layout() {
        return blockDimX$LAYOUT;
    }

    private static final long blockDimX$OFFSET = 12;

    /** Offset for field: {@snippet lang=c : unsigned int blockDimX } */
    public static long blockDimX$offset() {
        return blockDimX$OFFSET;
    }

    /** Getter for field: {@snippet lang=c : unsigned int blockDimX } */
    public static int blockDimX(MemorySegment struct) {
        return struct.get(blockDimX$LAYOUT, blockDimX$OFFSET);
    }

    /** Setter for field: {@snippet lang=c : unsigned int blockDimX } */
    public static void blockDimX(MemorySegment struct, int fieldValue) {
        struct.set(blockDimX$LAYOUT, blockDimX$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt blockDimY$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("blockDimY"));

    /** Layout for field: {@snippet lang=c : unsigned int blockDimY } */
    public static ValueLayout.OfInt blockDimY$layout() {
        return blockDimY$LAYOUT;
    }

    private static final long blockDimY$OFFSET = 16;

    /** Offset for field: {@snippet lang=c : unsigned int blockDimY } */
    public static long blockDimY$offset() {
        return blockDimY$OFFSET;
    }

    /** Getter for field: {@snippet lang=c : unsigned int blockDimY } */
    public static int blockDimY(MemorySegment struct) {
        return struct.get(blockDimY$LAYOUT, blockDimY$OFFSET);
    }

    /** Setter for field: {@snippet lang=c : unsigned int blockDimY } */
    public static void blockDimY(MemorySegment struct, int fieldValue) {
        struct.set(blockDimY$LAYOUT, blockDimY$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt blockDimZ$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("blockDimZ"));

    /** Layout for field: {@snippet lang=c : unsigned int blockDimZ } */
    public static ValueLayout.OfInt blockDimZ$layout() {
        return blockDimZ$LAYOUT;
    }

    private static final long blockDimZ$OFFSET = 20;

    /** Offset for field: {@snippet lang=c : unsigned int blockDimZ } */
    public static long blockDimZ$offset() {
        return blockDimZ$OFFSET;
    }

    /** Getter for field: {@snippet lang=c : unsigned int blockDimZ } */
    public static int blockDimZ(MemorySegment struct) {
        return struct.get(blockDimZ$LAYOUT, blockDimZ$OFFSET);
    }

    /** Setter for field: {@snippet lang=c : unsigned int blockDimZ } */
    public static void blockDimZ(MemorySegment struct, int fieldValue) {
        struct.set(blockDimZ$LAYOUT, blockDimZ$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt sharedMemBytes$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("sharedMemBytes"));

    /** Layout for field: {@snippet lang=c : unsigned int sharedMemBytes } */
    public static ValueLayout.OfInt sharedMemBytes$layout() {
        return sharedMemBytes$LAYOUT;
    }

    private static final long sharedMemBytes$OFFSET = 24;

    /** Offset for field: {@snippet lang=c : unsigned int sharedMemBytes } */
    public static long sharedMemBytes$offset() {
        return sharedMemBytes$OFFSET;
    }

    /** Getter for field: {@snippet lang=c : unsigned int sharedMemBytes } */
    public static int sharedMemBytes(MemorySegment struct) {
        return struct.get(sharedMemBytes$LAYOUT, sharedMemBytes$OFFSET);
    }

    /** Setter for field: {@snippet lang=c : unsigned int sharedMemBytes } */
    public static void sharedMemBytes(MemorySegment struct, int fieldValue) {
        struct.set(sharedMemBytes$LAYOUT, sharedMemBytes$OFFSET, fieldValue);
    }

    private static final AddressLayout hStream$LAYOUT = (AddressLayout) $LAYOUT.select(MemoryLayout.PathElement.groupElement("hStream"));

    /** Layout for field: {@snippet lang=c : CUstream hStream } */
    public static AddressLayout hStream$layout() {
        return hStream$LAYOUT;
    }

    private static final long hStream$OFFSET = 32;

    /** Offset for field: {@snippet lang=c : CUstream hStream } */
    public static long hStream$offset() {
        return hStream$OFFSET;
    }

    /** Getter for field: {@snippet lang=c : CUstream hStream } */
    public static MemorySegment hStream(MemorySegment struct) {
        return struct.get(hStream$LAYOUT, hStream$OFFSET);
    }

    /** Setter for field: {@snippet lang=c : CUstream hStream } */
    public static void hStream(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(hStream$LAYOUT, hStream$OFFSET, fieldValue);
    }

    private static final AddressLayout attrs$LAYOUT = (AddressLayout) $LAYOUT.select(MemoryLayout.PathElement.groupElement("attrs"));

    /** Layout for field: {@snippet lang=c : CUlaunchAttribute * attrs } */
    public static AddressLayout attrs$layout() {
        return attrs$LAYOUT;
    }

    private static final long attrs$OFFSET = 40;

    /** Offset for field: {@snippet lang=c : CUlaunchAttribute * attrs } */
    public static long attrs$offset() {
        return attrs$OFFSET;
    }

    /** Getter for field: {@snippet lang=c : CUlaunchAttribute * attrs } */
    public static MemorySegment attrs(MemorySegment struct) {
        return struct.get(attrs$LAYOUT, attrs$OFFSET);
    }

    /** Setter for field: {@snippet lang=c : CUlaunchAttribute * attrs } */
    public static void attrs(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(attrs$LAYOUT, attrs$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt numAttrs$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("numAttrs"));

    /** Layout for field: {@snippet lang=c : unsigned int numAttrs } */
    public static ValueLayout.OfInt numAttrs$layout() {
        return numAttrs$LAYOUT;
    }

    private static final long numAttrs$OFFSET = 48;

    /** Offset for field: {@snippet lang=c : unsigned int numAttrs } */
    public static long numAttrs$offset() {
        return numAttrs$OFFSET;
    }

    /** Getter for field: {@snippet lang=c : unsigned int numAttrs } */
    public static int numAttrs(MemorySegment struct) {
        return struct.get(numAttrs$LAYOUT, numAttrs$OFFSET);
    }

    /** Setter for field: {@snippet lang=c : unsigned int numAttrs } */
    public static void numAttrs(MemorySegment struct, int fieldValue) {
        struct.set(numAttrs$LAYOUT, numAttrs$OFFSET, fieldValue);
    }

    /** Allocate a segment of size {@code layout().byteSize()} using {@code allocator}. */
    public static MemorySegment allocate(java.lang.foreign.SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }
}
