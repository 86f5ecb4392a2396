package dev.pagoda.gguf;

import dev.pagoda.gguf.MetadataValue.ArrayValue;
import dev.pagoda.gguf.MetadataValue.BoolValue;
import dev.pagoda.gguf.MetadataValue.FloatValue;
import dev.pagoda.gguf.MetadataValue.IntValue;
import dev.pagoda.gguf.MetadataValue.StringValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The key/value metadata of a GGUF file, in file order, with typed accessors.
 *
 * <p>Every accessor fails with an {@link IllegalArgumentException} that names the key: when the key
 * is absent ({@code metadata key 'llama.block_count' not found in model.gguf}), or when its value
 * has another type ({@code metadata key llama.block_count is UINT32, asked for STRING}). The
 * variants with a default return it only when the key is absent, never to hide a wrong type.
 * Instances are immutable and safe to share between threads.
 */
public final class Metadata {
    private final Map<String, MetadataValue> values;
    private final String source;

    /**
     * @param values the entries in file order
     * @param source where they came from (a file name), used in error messages
     */
    public Metadata(Map<String, MetadataValue> values, String source) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.source = source;
    }

    /** Keys in file order. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** All entries in file order. */
    public Map<String, MetadataValue> asMap() {
        return values;
    }

    /** Number of entries. */
    public int size() {
        return values.size();
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    /** The value under {@code key}, of whatever type. */
    public MetadataValue get(String key) {
        MetadataValue v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("metadata key '" + key + "' not found in " + source);
        }
        return v;
    }

    /** The value under {@code key}, or empty when absent. */
    public Optional<MetadataValue> find(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String getString(String key) {
        if (get(key) instanceof StringValue s) {
            return s.value();
        }
        throw wrongType(key, "STRING");
    }

    public String getString(String key, String defaultValue) {
        return contains(key) ? getString(key) : defaultValue;
    }

    /** Any integer type whose value fits in an int. */
    public int getInt(String key) {
        IntValue v = integer(key);
        if (!v.fitsInInt()) {
            throw new IllegalArgumentException("metadata key " + key + " is " + v.type() + " " + v
                    + ", which does not fit in an int");
        }
        return (int) v.value();
    }

    public int getInt(String key, int defaultValue) {
        return contains(key) ? getInt(key) : defaultValue;
    }

    /** Any integer type whose value fits in a long (every type but UINT64 at 2^63 and above). */
    public long getLong(String key) {
        IntValue v = integer(key);
        if (!v.fitsInLong()) {
            throw new IllegalArgumentException("metadata key " + key + " is " + v.type() + " " + v
                    + ", which does not fit in a long");
        }
        return v.value();
    }

    public long getLong(String key, long defaultValue) {
        return contains(key) ? getLong(key) : defaultValue;
    }

    /** FLOAT32 (exact) or FLOAT64 (rounded to float). */
    public float getFloat(String key) {
        return (float) getDouble(key);
    }

    public float getFloat(String key, float defaultValue) {
        return contains(key) ? getFloat(key) : defaultValue;
    }

    /** FLOAT32 or FLOAT64. */
    public double getDouble(String key) {
        if (get(key) instanceof FloatValue f) {
            return f.value();
        }
        throw wrongType(key, "FLOAT32 or FLOAT64");
    }

    public double getDouble(String key, double defaultValue) {
        return contains(key) ? getDouble(key) : defaultValue;
    }

    public boolean getBoolean(String key) {
        if (get(key) instanceof BoolValue b) {
            return b.value();
        }
        throw wrongType(key, "BOOL");
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return contains(key) ? getBoolean(key) : defaultValue;
    }

    /** The ARRAY value under {@code key}, of any element type. */
    public ArrayValue getArray(String key) {
        if (get(key) instanceof ArrayValue a) {
            return a;
        }
        throw wrongType(key, "ARRAY");
    }

    /** An array of STRING. */
    public String[] getStringArray(String key) {
        return elements(key, ArrayValue::strings);
    }

    /** An array of FLOAT32 (exact) or FLOAT64 (rounded). */
    public float[] getFloatArray(String key) {
        return elements(key, ArrayValue::floats);
    }

    /** An array of any integer type whose every value fits in an int. */
    public int[] getIntArray(String key) {
        return elements(key, ArrayValue::ints);
    }

    /** An array of any integer type whose every value fits in a long. */
    public long[] getLongArray(String key) {
        return elements(key, ArrayValue::longs);
    }

    private <T> T elements(String key, Function<ArrayValue, T> decode) {
        try {
            return decode.apply(getArray(key));
        } catch (ArrayValue.ElementTypeException e) {
            throw new IllegalArgumentException("metadata key " + key + " is " + e.getMessage(), e);
        }
    }

    private IntValue integer(String key) {
        if (get(key) instanceof IntValue v) {
            return v;
        }
        throw wrongType(key, "an integer");
    }

    private IllegalArgumentException wrongType(String key, String wanted) {
        MetadataValue v = get(key);
        String actual = v instanceof ArrayValue a ? "ARRAY of " + a.elementType() : v.type().toString();
        return new IllegalArgumentException("metadata key " + key + " is " + actual + ", asked for " + wanted);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
