package dev.pagoda.core.hybrid;

import dev.pagoda.gguf.GgmlType;
import java.util.EnumMap;
import java.util.Map;

/**
 * How fast this host multiplies a matrix of each weight type by one vector, in weight bytes per
 * second, with a given number of threads: what a decode step's host share is bounded by.
 */
public record HostMatvecRates(Map<GgmlType, Double> rates) {

    public HostMatvecRates {
        Map<GgmlType, Double> copy = new EnumMap<>(GgmlType.class);
        rates.forEach((type, rate) -> {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("matvec rate of " + type + " must be a positive number, got " + rate);
            }
            copy.put(type, rate);
        });
        rates = Map.copyOf(copy);
    }

    /** The same rate for every type (for planning with a given rate, e.g. {@code pagoda plan --cpu-rate}). */
    public static HostMatvecRates uniform(double bytesPerSecond, Iterable<GgmlType> types) {
        Map<GgmlType, Double> m = new EnumMap<>(GgmlType.class);
        types.forEach(t -> m.put(t, bytesPerSecond));
        return new HostMatvecRates(m);
    }

    /** Bytes/s for {@code type}, or an exception naming the type that was not measured. */
    public double bytesPerSecond(GgmlType type) {
        Double r = rates.get(type);
        if (r == null) {
            throw new IllegalArgumentException("no host matvec rate for " + type + " (measured: " + rates.keySet() + ")");
        }
        return r;
    }
}
