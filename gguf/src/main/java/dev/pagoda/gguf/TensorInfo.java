package dev.pagoda.gguf;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a GGUF file, as its tensor info describes it.
 *
 * @param name   the GGUF tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param shape  dimensions in ggml {@code ne} order: {@code shape[0]} is the row length (the
 *               contiguous dimension), so a {@code [n_embd, n_vocab]} embedding has n_vocab rows of
 *               n_embd values; 1 to 4 entries (a file's 0-dimension tensor reads as {@code [1]})
 * @param type   the ggml element type
 * @param offset where its data starts, relative to the start of its shard's data section
 * @param shard  which file of a split model holds it (0 for a single file)
 */
public record TensorInfo(String name, long[] shape, GgmlType type, long offset, int shard) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
        if (shape.length < 1 || shape.length > 4) {
            throw new IllegalArgumentException(name + ": " + shape.length + " dimensions, ggml allows 1 to 4");
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, d);
        }
        if (shape[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException(name + ": row length " + shape[0] + " is not a multiple of the "
                    + type + " block size " + type.blockSize());
        }
        type.byteSize(elements); // throws ArithmeticException when the byte size overflows
        if (offset < 0 || shard < 0) {
            throw new IllegalArgumentException(name + ": negative offset " + offset + " or shard " + shard);
        }
    }

    /** The dimensions (a copy), {@code shape()[0]} being the row length. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Dimension {@code i} in ne order. */
    public long dim(int i) {
        return shape[i];
    }

    /** Product of all dimensions. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes of data: elementCount / blockSize × typeSize. */
    public long byteSize() {
        return type.byteSize(elementCount());
    }

    /** Elements per row, {@code shape[0]}. */
    public long rowLength() {
        return shape[0];
    }

    /** Number of rows: the product of {@code shape[1..]}, 1 for a vector. */
    public long rowCount() {
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** Bytes of one row. */
    public long rowByteSize() {
        return type.byteSize(shape[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && Arrays.equals(t.shape, shape)
                && t.type == type && t.offset == offset && t.shard == shard;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), type, offset, shard);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + " @" + offset + (shard > 0 ? " shard " + shard : "");
    }
}
