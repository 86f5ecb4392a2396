package dev.pagoda.gguf.quant;

import dev.pagoda.gguf.GgmlType;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Chooses, once per JVM, between the Vector API dequantizers and the scalar references (Lucene's
 * provider pattern). The Vector API path is used when module {@code jdk.incubator.vector} is
 * resolved and the preferred float vector has 8 or 16 lanes; otherwise one log line says why and
 * every type uses its scalar reference. Both paths give bit-identical floats.
 */
public final class Dequantizers {
    private static final Logger LOG = Logger.getLogger(Dequantizers.class.getName());
    private static final String VECTOR_IMPL = "dev.pagoda.gguf.quant.VectorDequantizers";

    private Dequantizers() {}

    /** The fastest dequantizer for {@code format}'s type. */
    public static Dequantizer fast(QuantFormat format) {
        Function<QuantFormat, Dequantizer> vector = Holder.VECTOR;
        return vector != null ? vector.apply(format) : scalar(format);
    }

    /** The fastest dequantizer for {@code type}. */
    public static Dequantizer fast(GgmlType type) {
        return fast(QuantFormat.of(type));
    }

    /** The scalar reference dequantizer for {@code format}. */
    public static Dequantizer scalar(QuantFormat format) {
        return format::dequantizeScalar;
    }

    /** The scalar reference dequantizer for {@code type}. */
    public static Dequantizer scalar(GgmlType type) {
        return scalar(QuantFormat.of(type));
    }

    /** Whether {@link #fast} returns the Vector API path. */
    public static boolean vectorized() {
        return Holder.VECTOR != null;
    }

    private static final class Holder {
        static final Function<QuantFormat, Dequantizer> VECTOR = load();

        @SuppressWarnings("unchecked")
        private static Function<QuantFormat, Dequantizer> load() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                LOG.info("Pagoda dequantization uses scalar code: module jdk.incubator.vector is not resolved"
                        + " (pass --add-modules jdk.incubator.vector to the java command for the Vector API path)");
                return null;
            }
            try {
                return (Function<QuantFormat, Dequantizer>)
                        Class.forName(VECTOR_IMPL).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                LOG.info("Pagoda dequantization uses scalar code: the Vector API path is unavailable ("
                        + cause.getMessage() + ")");
                return null;
            }
        }
    }
}
