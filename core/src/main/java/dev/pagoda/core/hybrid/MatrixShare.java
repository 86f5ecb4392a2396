package dev.pagoda.core.hybrid;

/**
 * One streamed matrix's rows split between the device and the host in a decode pass, as byte
 * ranges. GGUF stores a matrix row after row, so the device's rows [0, deviceRows) are one
 * contiguous prefix of the matrix's bytes (one copy into the slot, the kernel launched with
 * {@code rows = deviceRows}) and the host's rows [deviceRows, rows) are the rest, read in place.
 * The output vector splits the same way: the device writes y[0, deviceRows), the host's results
 * are copied to y[deviceRows, rows).
 *
 * @param hostOffset byte offset of the matrix's first row in the host block that holds it
 * @param rows       rows of the whole matrix
 * @param rowBytes   bytes of one row
 * @param deviceRows rows the device computes, 0..rows
 */
public record MatrixShare(long hostOffset, int rows, long rowBytes, int deviceRows) {

    public MatrixShare {
        if (hostOffset < 0 || rows < 1 || rowBytes < 1) {
            throw new IllegalArgumentException("matrix of " + rows + " rows of " + rowBytes + " bytes at offset "
                    + hostOffset + ": rows and row size must be positive, the offset not negative");
        }
        if (deviceRows < 0 || deviceRows > rows) {
            throw new IllegalArgumentException("device rows " + deviceRows + " outside 0.." + rows);
        }
    }

    /** Bytes of the device's share: what is copied into the slot, from {@link #hostOffset} to slot offset 0. */
    public long deviceBytes() {
        return deviceRows * rowBytes;
    }

    /** Rows the host computes. */
    public int hostRows() {
        return rows - deviceRows;
    }

    /** Bytes of the host's share. */
    public long hostBytes() {
        return hostRows() * rowBytes;
    }

    /**
     * Where the host's first row starts in the host block; also the source of the copy that
     * completes the slot when a pass over several tokens needs the whole matrix on the device.
     */
    public long hostRowsOffset() {
        return hostOffset + deviceBytes();
    }

    /** Where in the slot the rest goes when the whole matrix is needed: right after the device's rows. */
    public long restSlotOffset() {
        return deviceBytes();
    }

    /** Byte offset in the float32 output vector where the host's results go. */
    public long outputTailOffset() {
        return (long) Float.BYTES * deviceRows;
    }

    /** Bytes of the host's results in the output vector. */
    public long outputTailBytes() {
        return (long) Float.BYTES * hostRows();
    }

    /** Whether the device computes every row (nothing for the host). */
    public boolean wholeOnDevice() {
        return deviceRows == rows;
    }

    /**
     * Start of each of {@code byteSizes}' matrices when packed one after the other in a block, each
     * start rounded up to {@code alignment}; the last element is the block's size.
     */
    public static long[] packedOffsets(long[] byteSizes, long alignment) {
        if (alignment < 1 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two, got " + alignment);
        }
        long[] offsets = new long[byteSizes.length + 1];
        long size = 0;
        for (int i = 0; i < byteSizes.length; i++) {
            offsets[i] = size;
            size = (size + byteSizes[i] + alignment - 1) & -alignment;
        }
        offsets[byteSizes.length] = size;
        return offsets;
    }
}
