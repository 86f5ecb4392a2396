package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.DeviceBuffer;

/** Argument checks shared by the launchers: a bad size or offset fails in Java, naming the operand. */
final class LaunchChecks {
    private LaunchChecks() {
    }

    static void requireBytes(DeviceBuffer buffer, long offset, long bytes, String operand, String op) {
        if (offset < 0 || bytes > buffer.byteSize() - offset) {
            throw new IllegalArgumentException(op + ": " + operand + " needs " + bytes + " bytes at offset " + offset
                    + " but its buffer holds " + buffer.byteSize());
        }
    }

    static void requireBytes(DeviceBuffer buffer, long bytes, String operand, String op) {
        requireBytes(buffer, 0, bytes, operand, op);
    }

    /** {@code buffer} (none where null) must start 16-byte aligned: {@code why} says what reads it so. */
    static void require16ByteAligned(DeviceBuffer buffer, String operand, String op, String why) {
        if (buffer != null && buffer.unsafeAddress() % 16 != 0) {
            throw new IllegalArgumentException(op + ": " + operand + " must be 16-byte aligned (" + why
                    + "), its address is 0x" + Long.toHexString(buffer.unsafeAddress()));
        }
    }

    static void requirePositive(long value, String what, String op) {
        if (value <= 0) {
            throw new IllegalArgumentException(op + ": " + what + " must be positive, got " + value);
        }
    }

    static void requireWeights(WeightType type, DeviceBuffer w, long offset, int rows, int cols, String op) {
        requirePositive(rows, "rows", op);
        long rowBytes = type.rowBytes(cols);
        if (offset % type.alignment(cols) != 0) {
            throw new IllegalArgumentException(op + ": " + type + " weights of " + cols + " columns must start at a multiple of "
                    + type.alignment(cols) + " bytes, got offset " + offset);
        }
        requireBytes(w, offset, rowBytes * rows, "the " + rows + "x" + cols + " " + type + " weight matrix", op);
    }

    static int ceilDiv(long a, long b) {
        return Math.toIntExact((a + b - 1) / b);
    }
}
