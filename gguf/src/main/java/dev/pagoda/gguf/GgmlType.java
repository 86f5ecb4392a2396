package dev.pagoda.gguf;

import java.lang.foreign.MemorySegment;

/**
 * Every ggml tensor type id, with its block geometry (elements per block, bytes per block), as
 * ggml's {@code ggml.h} numbers them. Ids that ggml retired (4, 5, 31–33, 36–38) are absent, so
 * {@link #fromId} rejects them like any unknown id.
 *
 * <p>Types we can compute report {@link #isSupported()}; the rest (IQ*, TQ*, MXFP4, integer types)
 * are recognised by name so that a file using them opens, and refused with an exception naming
 * them when their values are asked for.
 */
public enum GgmlType {
    F32(0, 1, 4, true),
    F16(1, 1, 2, true),
    Q4_0(2, 32, 18, true),
    Q4_1(3, 32, 20, true),
    Q5_0(6, 32, 22, true),
    Q5_1(7, 32, 24, true),
    Q8_0(8, 32, 34, true),
    Q8_1(9, 32, 36, false),
    Q2_K(10, 256, 84, true),
    Q3_K(11, 256, 110, true),
    Q4_K(12, 256, 144, true),
    Q5_K(13, 256, 176, true),
    Q6_K(14, 256, 210, true),
    Q8_K(15, 256, 292, false),
    IQ2_XXS(16, 256, 66, false),
    IQ2_XS(17, 256, 74, false),
    IQ3_XXS(18, 256, 98, false),
    IQ1_S(19, 256, 50, false),
    IQ4_NL(20, 32, 18, false),
    IQ3_S(21, 256, 110, false),
    IQ2_S(22, 256, 82, false),
    IQ4_XS(23, 256, 136, false),
    I8(24, 1, 1, false),
    I16(25, 1, 2, false),
    I32(26, 1, 4, false),
    I64(27, 1, 8, false),
    F64(28, 1, 8, false),
    IQ1_M(29, 256, 56, false),
    BF16(30, 1, 2, true),
    TQ1_0(34, 256, 54, false),
    TQ2_0(35, 256, 66, false),
    MXFP4(39, 32, 17, false);

    private static final GgmlType[] BY_ID = new GgmlType[64];

    static {
        for (GgmlType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int blockSize;
    private final int typeSize;
    private final boolean supported;

    GgmlType(int id, int blockSize, int typeSize, boolean supported) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
        this.supported = supported;
    }

    /** The ggml type id, as stored in a GGUF tensor info. */
    public int id() {
        return id;
    }

    /** Elements per block (1 for plain float types, 32 or 256 for quantized types). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int typeSize() {
        return typeSize;
    }

    /** Whether Pagoda can dequantize and compute with this type. */
    public boolean isSupported() {
        return supported;
    }

    /** The type with this ggml id, or null when the id is unknown or retired. */
    public static GgmlType fromId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /**
     * Bytes that {@code elements} values of this type occupy.
     *
     * @throws IllegalArgumentException if {@code elements} is not a whole number of blocks
     * @throws ArithmeticException on overflow
     */
    public long byteSize(long elements) {
        if (elements < 0 || elements % blockSize != 0) {
            throw new IllegalArgumentException(
                    name() + ": " + elements + " elements is not a whole number of " + blockSize + "-element blocks");
        }
        return Math.multiplyExact(elements / blockSize, (long) typeSize);
    }

    /**
     * Dequantizes the first {@code elements} values stored in {@code raw} (laid out exactly as in a
     * GGUF tensor) to float32, exactly as ggml's {@code to_float} does.
     */
    public float[] dequantize(MemorySegment raw, long elements) {
        throw new UnsupportedOperationException("dequantize " + name() + ": not implemented yet");
    }
}
