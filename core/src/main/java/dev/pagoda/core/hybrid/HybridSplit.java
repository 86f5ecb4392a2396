package dev.pagoda.core.hybrid;

import dev.pagoda.gguf.GgmlType;
import java.util.EnumMap;
import java.util.Map;

/**
 * How the rows of every streamed matrix are shared between the host and the device in decode,
 * per weight type: the host computes a fraction f of the rows straight from host memory while the
 * other 1 − f cross the link and are computed on the device. Both sides finish together when
 * f·bytes / hostRate = (1 − f)·bytes / linkRate, i.e. f = hostRate / (hostRate + linkRate), and a
 * matrix of B bytes then costs B / (hostRate + linkRate): the two bandwidths add up.
 *
 * @param linkBytesPerSecond host → device copy rate (PCIe)
 * @param hostRates          the host's quantized matvec rate per weight type
 * @param rowQuantum         the device share is a multiple of this many rows
 */
public record HybridSplit(double linkBytesPerSecond, HostMatvecRates hostRates, int rowQuantum) {
    /** Device shares are whole groups of 32 rows, the row granularity the CUDA matvec kernels require. */
    public static final int DEFAULT_ROW_QUANTUM = 32;

    public HybridSplit {
        if (!(linkBytesPerSecond > 0) || Double.isInfinite(linkBytesPerSecond)) {
            throw new IllegalArgumentException("link rate must be a positive number of bytes/s, got " + linkBytesPerSecond);
        }
        if (rowQuantum < 1) {
            throw new IllegalArgumentException("row quantum must be at least 1, got " + rowQuantum);
        }
    }

    /** Fraction of a {@code type} matrix's rows the host should compute so both sides finish together. */
    public double hostFraction(GgmlType type) {
        double host = hostRates.bytesPerSecond(type);
        return host / (host + linkBytesPerSecond);
    }

    /** Host fractions of the given types. */
    public Map<GgmlType, Double> hostFractions(Iterable<GgmlType> types) {
        Map<GgmlType, Double> f = new EnumMap<>(GgmlType.class);
        for (GgmlType t : types) {
            f.put(t, hostFraction(t));
        }
        return f;
    }

    /** Device rows of a {@code rows}-row matrix of {@code type}: {@link #deviceRows(long, double, int)}. */
    public long deviceRows(long rows, GgmlType type) {
        return deviceRows(rows, 1 - hostFraction(type), rowQuantum);
    }

    /**
     * The device's rows of a {@code rows}-row matrix for a device fraction: the nearest multiple of
     * {@code quantum}, never more than the matrix's whole groups of {@code quantum} rows (the
     * ragged end, if any, goes to the host), except that a fraction of 1 keeps every row on the
     * device.
     */
    public static long deviceRows(long rows, double deviceFraction, int quantum) {
        if (deviceFraction >= 1) {
            return rows;
        }
        if (!(deviceFraction > 0)) {
            return 0;
        }
        long whole = rows / quantum * quantum;
        long d = Math.round(rows * deviceFraction / quantum) * quantum;
        return Math.min(d, whole);
    }
}
