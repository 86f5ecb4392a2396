package dev.pagoda.cuda.kernels;

/**
 * The weight formats the kernels read, with ggml's block geometry (ggml-common.h): a row of
 * {@code cols} elements is {@code cols / blockElements} blocks of {@code blockBytes} bytes.
 */
public enum WeightType {
    F32("f32", 1, 4, 16),
    F16("f16", 1, 2, 16),
    BF16("bf16", 1, 2, 16),
    Q8_0("q8_0", 32, 34, 2),
    Q4_0("q4_0", 32, 18, 2),
    Q4_K("q4_k", 256, 144, 16),
    Q5_K("q5_k", 256, 176, 16),
    Q6_K("q6_k", 256, 210, 2);

    private final String kernelSuffix;
    private final int blockElements;
    private final int blockBytes;
    private final int alignment;

    WeightType(String kernelSuffix, int blockElements, int blockBytes, int alignment) {
        this.kernelSuffix = kernelSuffix;
        this.blockElements = blockElements;
        this.blockBytes = blockBytes;
        this.alignment = alignment;
    }

    /** The suffix of this format's kernels, e.g. {@code matvec_q4_k}. */
    public String kernelSuffix() {
        return kernelSuffix;
    }

    public int blockElements() {
        return blockElements;
    }

    public int blockBytes() {
        return blockBytes;
    }

    /**
     * The byte alignment the kernels' loads need for the start of a matrix of {@code cols} columns: 16
     * for the 16-byte loads of whole 32-element units, one element for float rows of other widths,
     * which are read element by element.
     */
    public int alignment(int cols) {
        return wholeUnits(cols) ? alignment : blockBytes;
    }

    /** The byte alignment the kernels' loads need for the start of a matrix of whole 32-element units. */
    public int alignment() {
        return alignment;
    }

    /** F32, F16 and BF16: a row is any number of single elements, so any width is a whole row. */
    public boolean anyWidth() {
        return blockElements == 1;
    }

    /**
     * Whether rows of {@code cols} elements are whole 32-element units, as the unit, super-block and
     * tensor-core kernels read them. Float rows of other widths run the any-width kernels
     * ({@code matvec_any_<type>}, {@code matmul_any_<type>}, {@code embedding_any_<type>}).
     */
    public boolean wholeUnits(int cols) {
        return cols > 0 && cols % 32 == 0 && cols % blockElements == 0;
    }

    /**
     * Bytes in one row of {@code cols} elements. The quantized formats decode 32 elements at a time, so
     * their rows must hold a multiple of 32 elements and of the block size; float rows may hold any
     * positive number.
     */
    public long rowBytes(int cols) {
        if (anyWidth() && cols <= 0) {
            throw new IllegalArgumentException(name() + " rows need at least one element, got " + cols);
        }
        if (!anyWidth() && !wholeUnits(cols)) {
            throw new IllegalArgumentException(name() + " rows need a positive multiple of "
                    + Math.max(32, blockElements) + " elements, got " + cols);
        }
        return (long) cols / blockElements * blockBytes;
    }
}
