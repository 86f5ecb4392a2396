package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.KernelArgs;

import static dev.pagoda.cuda.kernels.LaunchChecks.require16ByteAligned;
import static dev.pagoda.cuda.kernels.LaunchChecks.requireBytes;

/**
 * x as a decode launch on the bulk-copy ring may take it ({@link FusedMatVec#launchNormed} and the other normed
 * launches): RMSNorm(x + add) · weight, computed by every block as it stages x, with x + add written to
 * {@code sum} for the step's next norm; {@code add} null: RMSNorm(x) · weight, x copied to {@code sum}. The same bits
 * as {@link AddRmsNorm} (or {@link RmsNorm}) and a plain launch after it (matvec_ring_norm.cuh); {@code sum} must be
 * another buffer than x and add, since every block reads all of them while others write their share of sum.
 *
 * <p>{@code records} not null: the norm is computed before the launch by {@link NormRecords}, into x's integer
 * records there (the x of the launch's {@link MatVecInput}: {@link MatVecInput#recordsBytes} of cols), which the
 * launch's blocks copy in one bulk request each; the same bits again (decode round 33, docs/perf/NOTES.md).
 */
public record NormedX(DeviceBuffer x, DeviceBuffer add, DeviceBuffer weight, float eps, DeviceBuffer sum,
                      DeviceBuffer records) {
    /** Normed by every block of the launch as it stages x (no records). */
    public NormedX(DeviceBuffer x, DeviceBuffer add, DeviceBuffer weight, float eps, DeviceBuffer sum) {
        this(x, add, weight, eps, sum, null);
    }

    /** Shared bytes the norm's group sums take after x's records (NORM_MAX_GROUPS floats). */
    static final int SCRATCH_BYTES = 128;

    static int scratchBytes(NormedX norm) {
        return norm == null ? 0 : SCRATCH_BYTES;
    }

    static DeviceBuffer x(DeviceBuffer x, NormedX norm) {
        return norm == null ? x : norm.x;
    }

    void check(int cols, String op) {
        long bytes = (long) cols * Float.BYTES;
        requireBytes(x, bytes, "x", op);
        if (add != null) {
            requireBytes(add, bytes, "add", op);
        }
        requireBytes(weight, bytes, "norm weight", op);
        requireBytes(sum, bytes, "sum", op);
        if (sum.unsafeAddress() == x.unsafeAddress() || (add != null && sum.unsafeAddress() == add.unsafeAddress())) {
            throw new IllegalArgumentException(op + ": the sum must go to another buffer than x and add");
        }
        String why = "the launch reads and writes it 16 bytes at a time";
        require16ByteAligned(x, "x", op, why);
        require16ByteAligned(add, "add", op, why);
        require16ByteAligned(weight, "norm weight", op, why);
        require16ByteAligned(sum, "sum", op, why);
        if (!(eps >= 0)) {
            throw new IllegalArgumentException(op + ": eps must be >= 0, got " + eps);
        }
    }

    // the kernels' add, normWeight, xOut, eps (all null and 0: x as it is)
    static void appendTo(KernelArgs args, NormedX norm) {
        if (norm == null) {
            args.nullPointer().nullPointer().nullPointer().f32(0);
            return;
        }
        args.pointerOrNull(norm.add);
        args.pointer(norm.weight).pointer(norm.sum).f32(norm.eps);
    }
}
