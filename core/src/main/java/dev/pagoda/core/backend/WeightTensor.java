package dev.pagoda.core.backend;

import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * One weight matrix as it lies in the model file: {@code rows} rows of {@code cols} values of
 * {@code type}, row r starting at byte r·rowBytes of {@code data}. A vector (a norm weight) is one
 * row. {@code data} is usually a read-only slice of the mapped GGUF file: nothing is copied.
 */
public record WeightTensor(String name, GgmlType type, int rows, int cols, MemorySegment data) {

    public WeightTensor {
        long need = type.byteSize((long) rows * cols);
        if (data.byteSize() < need) {
            throw new IllegalArgumentException(name + ": " + rows + "x" + cols + " " + type + " needs " + need
                    + " bytes but only " + data.byteSize() + " are present");
        }
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(name + ": row length " + cols + " is not a multiple of the "
                    + type + " block size " + type.blockSize());
        }
    }

    /** Bytes of one row. */
    public long rowBytes() {
        return type.byteSize(cols);
    }

    /** Bytes of the whole matrix. */
    public long byteSize() {
        return rowBytes() * rows;
    }
}
