package dev.pagoda.cuda.kernels;

import static dev.pagoda.cuda.kernels.LaunchChecks.ceilDiv;

/**
 * Grid, shared memory and k-split of one decode matvec launch ({@code matvec.cu}, {@code matvec_fused.cu}):
 * both modules run the same kernel bodies, so a launch over the concatenated rows of several matrices is
 * sized exactly like one matrix of that many rows.
 *
 * @param kSplit warps sharing each row group (q4_K's super-block kernel, q6_K's kernel; 1 for the unit kernel)
 */
record MatVecShape(int grid, int sharedBytes, int kSplit) {
    /** Rows one warp of the super-block kernel takes at a time (matvec_superblock.cuh MATVEC_SB_ROWS). */
    private static final int SUPERBLOCK_ROWS = 2;
    /** Blocks per multiprocessor for the super-block kernel (its launch bounds ask for 2). */
    private static final int SUPERBLOCK_BLOCKS_PER_SM = 2;

    /** The shape of a launch taking x as {@code input} says: {@link #ofInt8} where it quantizes {@code type}, else {@link #of}. */
    static MatVecShape of(MatVecInput input, WeightType type, int rows, int cols, int multiprocessors, int maxSharedBytes,
            String op) {
        return input.quantizes(type)
                ? ofInt8(input, type, rows, cols, multiprocessors, maxSharedBytes, op)
                : of(type, rows, cols, multiprocessors, maxSharedBytes, op);
    }

    static MatVecShape of(WeightType type, int rows, int cols, int multiprocessors, int maxSharedBytes, String op) {
        int shared = sharedBytes(cols);
        if (shared > maxSharedBytes) {
            throw new IllegalArgumentException(op + ": " + cols + " columns need " + shared
                    + " bytes of shared memory, the device allows " + maxSharedBytes);
        }
        if (type == WeightType.Q4_K) {
            int split = kSplit(rows, cols, multiprocessors);
            int blocksPerSm = Math.max(1, Math.min(SUPERBLOCK_BLOCKS_PER_SM, maxSharedBytes / (shared + 1024)));
            int grid = Math.min(ceilDiv(rows, (long) MatVec.WARPS / split * SUPERBLOCK_ROWS), multiprocessors * blocksPerSm);
            return new MatVecShape(grid, shared, split);
        }
        int blocksPerSm = unitBlocksPerSm(cols, Math.max(1, Math.min(MatVec.BLOCKS_PER_SM, maxSharedBytes / (shared + 1024))));
        int split = type == WeightType.Q6_K ? unitKSplit(rows, cols, multiprocessors * blocksPerSm) : 1;
        return new MatVecShape(Math.min(ceilDiv(rows, (long) MatVec.WARPS / split), multiprocessors * blocksPerSm),
                shared, split);
    }

    /** Blocks per multiprocessor of the int8-x q4_K kernel (matvec_superblock.cuh MATVEC_SB_X8_BLOCKS_PER_SM). */
    private static final int SUPERBLOCK_X8_BLOCKS_PER_SM = 3;
    /** Blocks per multiprocessor of the int8-x unit kernel (matvec_x8_units.cuh MATVEC_X8_BLOCKS_PER_SM). */
    private static final int UNIT_X8_BLOCKS_PER_SM = 4;

    /**
     * The shape of an integer-x launch ({@code matvec_x8_<type>} / {@code matvec_x16_<type>}): x's records
     * per 32 columns, q4_K's super-block kernel at 3 blocks per multiprocessor, the other formats' unit
     * kernel with rows split over warps as q6_K's float kernel ({@link #unitKSplit}). Every int8-x kernel
     * takes the k-split argument.
     */
    static MatVecShape ofInt8(MatVecInput input, WeightType type, int rows, int cols, int multiprocessors,
                              int maxSharedBytes, String op) {
        int shared = sharedBytesInt8(input, cols);
        if (shared > maxSharedBytes) {
            throw new IllegalArgumentException(op + ": " + cols + " columns need " + shared
                    + " bytes of shared memory, the device allows " + maxSharedBytes);
        }
        if (type == WeightType.Q4_K) {
            int split = kSplit(rows, cols, multiprocessors);
            int blocksPerSm = Math.max(1, Math.min(SUPERBLOCK_X8_BLOCKS_PER_SM, maxSharedBytes / (shared + 1024)));
            int grid = Math.min(ceilDiv(rows, (long) MatVec.WARPS / split * SUPERBLOCK_ROWS), multiprocessors * blocksPerSm);
            return new MatVecShape(grid, shared, split);
        }
        int blocksPerSm = unitBlocksPerSm(cols, Math.max(1, Math.min(UNIT_X8_BLOCKS_PER_SM, maxSharedBytes / (shared + 1024))));
        int split = unitKSplit(rows, cols, multiprocessors * blocksPerSm);
        return new MatVecShape(Math.min(ceilDiv(rows, (long) MatVec.WARPS / split), multiprocessors * blocksPerSm),
                shared, split);
    }

    /** Rows at least this long are "long" for {@link #unitBlocksPerSm}. */
    static final int LONG_ROW_COLS = 8192;

    /**
     * Blocks per multiprocessor for the unit kernels: at most 2 for rows of {@link #LONG_ROW_COLS} or more,
     * else {@code fit}. Every block stages all of x (cols floats read through L2, quantized for int8 x,
     * two vectors and a silu for the fused down projection), so at 14336 columns a third and fourth block
     * per multiprocessor cost more staging than they add in latency hiding. Measured on the H200
     * (MatVecShapeSweep, docs/perf/NOTES.md decode round 6): 4096 x 14336 swiglu Q6_K 36.4 -> 32.3 us,
     * Q8_0 33.9 -> 30.5 us (int8 x), Q6_K float x 36.8 -> 33.9 us; 14336 x 4096 and 4096 x 4096 keep 4.
     */
    static int unitBlocksPerSm(int cols, int fit) {
        return cols >= LONG_ROW_COLS ? Math.min(2, fit) : fit;
    }

    /**
     * Shared memory of an integer-x block: x's records per 32 columns (48 bytes for int8, 80 for two levels),
     * then one partial per warp and row.
     */
    static int sharedBytesInt8(MatVecInput input, int cols) {
        return (int) input.recordsBytes(cols) + MatVec.WARPS * SUPERBLOCK_ROWS * Float.BYTES;
    }

    /** Whether the kernel of this format takes a k-split argument (q4_K's super-block kernel, q6_K's). */
    static boolean takesKSplit(WeightType type) {
        return type == WeightType.Q4_K || type == WeightType.Q6_K;
    }

    /**
     * How many warps share one row in the q6_K kernel (matvec_q6k.cuh), the one of 1, 2, 4, 8 with the
     * least estimated time: a warp's time is its passes over the grid (row groups of WARPS / split rows
     * strided over at most {@code maxGrid} blocks, the last pass as long as a full one) times the 32-unit
     * chunks per lane of its slice plus one for a pass's fixed part (load latency, reduction). Ties go to
     * the smaller split. Long rows with few row groups per warp (4096 x 14336: 1.3 rows per warp, so 2
     * passes for 1.3 passes' work) split in two; 1024-row matrices, which fill only a block per
     * multiprocessor, in four.
     */
    static int unitKSplit(int rows, int cols, int maxGrid) {
        long chunks = ceilDiv(cols / 32, 32);
        int best = 1;
        long bestCost = Long.MAX_VALUE;
        for (int split = 1; split <= MatVec.WARPS; split *= 2) {
            long groups = ceilDiv(rows, (long) MatVec.WARPS / split);
            long passes = ceilDiv(groups, Math.max(1, Math.min(groups, maxGrid)));
            long cost = passes * (ceilDiv(chunks, split) + 1);
            if (cost < bestCost) {
                bestCost = cost;
                best = split;
            }
        }
        return best;
    }

    /**
     * Shared memory one block needs, the largest of the kernels': the unit kernel's x padded by 4 floats
     * per 32 plus (q6_K) per-16 sums and one partial per warp, or the super-block kernel's x padded by 4
     * per 64 plus per-16 sums and partials.
     */
    static int sharedBytes(int cols) {
        return Math.max(cols / 32 * 36 + cols / 16 + MatVec.WARPS, cols + cols / 8 + MatVec.WARPS * SUPERBLOCK_ROWS)
                * Float.BYTES;
    }

    /**
     * How many warps share one row group in the super-block kernel: doubled (up to all 8 warps) while the
     * grid would hold fewer blocks than multiprocessors and each warp still gets a whole step of four
     * 256-element blocks. (The bound was two blocks per multiprocessor, which split 4096-row matrices in
     * two: measured on the H200, 4096 x 4096 and 4096 x 14336 run 10-16 % faster unsplit on 256 blocks,
     * 7.29 -> 6.52 us and 18.9 -> 16.1 us with int8 x; MatVecShapeSweep, docs/perf/NOTES.md decode round 6.)
     */
    static int kSplit(int rows, int cols, int multiprocessors) {
        int blocksPerRow = cols / 256;
        int split = 1;
        while (split < MatVec.WARPS && 4 * split * 2 <= blocksPerRow
                && ceilDiv(rows, (long) MatVec.WARPS / split * SUPERBLOCK_ROWS) < multiprocessors) {
            split *= 2;
        }
        return split;
    }
}
