package dev.pagoda.core.synth;

import dev.pagoda.gguf.GgmlType;
import java.util.Arrays;

/**
 * One tensor of a synthetic model, as the GGUF will list it.
 *
 * @param name  GGUF tensor name, e.g. {@code blk.3.ffn_down.weight}
 * @param role  what it is for
 * @param layer its block index, or -1 outside the blocks
 * @param shape ggml dimension order: {@code shape[0]} is the row length
 * @param type  its ggml type in the file
 */
public record PlannedTensor(String name, TensorRole role, int layer, long[] shape, GgmlType type) {

    public PlannedTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Values per row ({@code ne[0]}). */
    public int rowLength() {
        return Math.toIntExact(shape[0]);
    }

    /** Rows: the product of every dimension after the first. */
    public long rowCount() {
        long rows = 1;
        for (int i = 1; i < shape.length; i++) {
            rows = Math.multiplyExact(rows, shape[i]);
        }
        return rows;
    }

    /** Bytes of one row in {@link #type}. */
    public long rowBytes() {
        return type.byteSize(shape[0]);
    }

    /** Bytes of the whole tensor. */
    public long byteSize() {
        return Math.multiplyExact(rowBytes(), rowCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedTensor p && name.equals(p.name) && role == p.role && layer == p.layer
                && Arrays.equals(shape, p.shape) && type == p.type;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape);
    }
}
