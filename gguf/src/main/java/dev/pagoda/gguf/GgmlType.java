package dev.pagoda.gguf;

import dev.pagoda.gguf.quant.Dequantizers;
import dev.pagoda.gguf.quant.QuantFormat;
import dev.pagoda.gguf.quant.UnsupportedGgmlTypeException;
import java.lang.foreign.MemorySegment;

/**
 * Every ggml tensor type id, with its block geometry (elements per block, bytes per block), as
 * ggml's {@code ggml.h} numbers them and {@code ggml-common.h} lays them out. Ids that ggml retired
 * (4, 5, 31–33, 36–38) are absent, so {@link #fromId} rejects them like any unknown id.
 *
 * <p>Types we can compute report {@link #isSupported()}; the rest (IQ*, TQ*, MXFP4, NVFP4, Q1_0,
 * Q2_0, Q8_1, Q8_K, integer types, F64) are recognised by name so that a file using them opens, and
 * refused with an {@link UnsupportedGgmlTypeException} naming them when their values are asked for.
 *
 * <p>The conversions themselves live in one class per format in {@link dev.pagoda.gguf.quant}
 * ({@link QuantFormat#of}); the methods here validate sizes and dispatch.
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
    MXFP4(39, 32, 17, false),
    /** Four UE4M3 sub-block scales + 32 bytes of E2M1 pairs (ggml {@code block_nvfp4}). */
    NVFP4(40, 64, 36, false),
    /** One f16 scale + 128 sign bits (ggml {@code block_q1_0}). */
    Q1_0(41, 128, 18, false),
    /** One f16 scale + 64 two-bit codes (ggml {@code block_q2_0}). */
    Q2_0(42, 64, 18, false);

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

    /** Elements per block (1 for plain float types, 32, 64, 128 or 256 for quantized types). */
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

    /** Whether {@link #quantize} can produce this type from float32. */
    public boolean canQuantize() {
        return supported && QuantFormat.of(this).canQuantize();
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
     * GGUF tensor) to float32, exactly as ggml's {@code to_float} does (bit for bit).
     *
     * @throws UnsupportedGgmlTypeException if this type is recognised but not supported
     * @throws IllegalArgumentException if {@code elements} is not a whole number of blocks, does not
     *     fit a Java array, or {@code raw} is shorter than those blocks
     */
    public float[] dequantize(MemorySegment raw, long elements) {
        QuantFormat format = QuantFormat.of(this);
        if (elements > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "dequantize " + name() + ": " + elements + " elements do not fit one float[]; dequantize row by row");
        }
        float[] out = new float[(int) elements];
        dequantize(format, raw, 0, out, 0, (int) elements);
        return out;
    }

    /**
     * Dequantizes {@code count} values starting at byte {@code srcByteOffset} of {@code src} into
     * {@code dst[dstOffset .. dstOffset + count)}: the row-wise form for the engine. Uses the Vector
     * API fast path when available; results are bit-identical either way.
     *
     * @throws UnsupportedGgmlTypeException if this type is recognised but not supported
     * @throws IllegalArgumentException if {@code count} is not a whole number of blocks or either
     *     range lies outside its buffer
     */
    public void dequantize(MemorySegment src, long srcByteOffset, float[] dst, int dstOffset, int count) {
        dequantize(QuantFormat.of(this), src, srcByteOffset, dst, dstOffset, count);
    }

    private void dequantize(QuantFormat format, MemorySegment src, long srcByteOffset, float[] dst, int dstOffset,
            int count) {
        long bytes = checkedByteSize("dequantize", count);
        if (srcByteOffset < 0 || srcByteOffset > src.byteSize() - bytes) {
            throw new IllegalArgumentException("dequantize " + name() + ": " + count + " elements need " + bytes
                    + " bytes at offset " + srcByteOffset + " but the source holds " + src.byteSize() + " bytes");
        }
        if (dstOffset < 0 || dstOffset > dst.length - count) {
            throw new IllegalArgumentException("dequantize " + name() + ": " + count + " floats at offset "
                    + dstOffset + " do not fit a float[" + dst.length + "]");
        }
        Dequantizers.fast(format).dequantize(src, srcByteOffset, dst, dstOffset, count / blockSize);
    }

    /**
     * Quantizes {@code src[offset .. offset + count)} to this type with ggml's reference quantizer
     * (no importance matrix), returning the bytes exactly as a GGUF tensor stores them.
     *
     * @throws UnsupportedGgmlTypeException if Pagoda cannot produce this type
     * @throws IllegalArgumentException if {@code count} is not a whole number of blocks, the range lies
     *     outside {@code src}, or a value to quantize into a block format is NaN or infinite
     */
    public byte[] quantize(float[] src, int offset, int count) {
        long bytes = checkedByteSize("quantize", count);
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "quantize " + name() + ": " + bytes + " bytes do not fit one byte[]; quantize into a MemorySegment");
        }
        byte[] out = new byte[(int) bytes];
        quantize(src, offset, count, MemorySegment.ofArray(out), 0);
        return out;
    }

    /**
     * Quantizes {@code src[srcOffset .. srcOffset + count)} into {@code dst} at {@code dstByteOffset},
     * allocation-free. Thread-safe: disjoint rows may be quantized concurrently.
     *
     * @throws UnsupportedGgmlTypeException if Pagoda cannot produce this type
     * @throws IllegalArgumentException as {@link #quantize(float[], int, int)}, or when the output
     *     range lies outside {@code dst}
     */
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        QuantFormat format = QuantFormat.of(this);
        if (!format.canQuantize()) {
            throw new UnsupportedGgmlTypeException(this, "quantizing to it");
        }
        long bytes = checkedByteSize("quantize", count);
        if (srcOffset < 0 || srcOffset > src.length - count) {
            throw new IllegalArgumentException("quantize " + name() + ": " + count + " floats at offset " + srcOffset
                    + " lie outside a float[" + src.length + "]");
        }
        if (dstByteOffset < 0 || dstByteOffset > dst.byteSize() - bytes) {
            throw new IllegalArgumentException("quantize " + name() + ": " + bytes + " bytes at offset "
                    + dstByteOffset + " do not fit a destination of " + dst.byteSize() + " bytes");
        }
        format.quantize(src, srcOffset, dst, dstByteOffset, count / blockSize);
    }

    private long checkedByteSize(String what, long count) {
        if (count < 0 || count % blockSize != 0) {
            throw new IllegalArgumentException(what + " " + name() + ": " + count
                    + " elements is not a whole number of " + blockSize + "-element blocks");
        }
        return (count / blockSize) * typeSize;
    }
}
