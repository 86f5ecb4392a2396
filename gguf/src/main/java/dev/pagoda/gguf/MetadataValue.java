package dev.pagoda.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One GGUF metadata value. Integers of every width share {@link IntValue} (the {@link MetadataType}
 * says which width the file used), floats share {@link FloatValue}; arrays keep their elements in
 * the file's own byte layout and decode them on request, so a 128 000-entry vocabulary costs one
 * byte array, not 128 000 objects.
 */
public sealed interface MetadataValue {

    /** The type this value has in the file. */
    MetadataType type();

    /**
     * An integer of any GGUF width. For UINT64 {@code value} holds the 64 bits as stored, so values
     * of 2^63 and above read as negative longs; {@link #fitsInLong()} tells them apart.
     */
    record IntValue(MetadataType type, long value) implements MetadataValue {
        public IntValue {
            Objects.requireNonNull(type);
            long min;
            long max;
            switch (type) {
                case UINT8 -> { min = 0; max = 0xFF; }
                case INT8 -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; }
                case UINT16 -> { min = 0; max = 0xFFFF; }
                case INT16 -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
                case UINT32 -> { min = 0; max = 0xFFFF_FFFFL; }
                case INT32 -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
                case UINT64, INT64 -> { min = Long.MIN_VALUE; max = Long.MAX_VALUE; }
                default -> throw new IllegalArgumentException(type + " is not an integer type");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(value + " does not fit in " + type);
            }
        }

        /** Whether the value, read with its type's signedness, fits in a Java long. */
        public boolean fitsInLong() {
            return type != MetadataType.UINT64 || value >= 0;
        }

        /** Whether the value, read with its type's signedness, fits in a Java int. */
        public boolean fitsInInt() {
            return fitsInLong() && value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
        }

        @Override
        public String toString() {
            return type == MetadataType.UINT64 ? Long.toUnsignedString(value) : Long.toString(value);
        }
    }

    /** A FLOAT32 or FLOAT64 value; a FLOAT32 is held exactly in the double. */
    record FloatValue(MetadataType type, double value) implements MetadataValue {
        public FloatValue {
            if (!Objects.requireNonNull(type).isFloat()) {
                throw new IllegalArgumentException(type + " is not a float type");
            }
            if (type == MetadataType.FLOAT32 && !Double.isNaN(value) && (double) (float) value != value) {
                throw new IllegalArgumentException(value + " is not exactly representable as FLOAT32");
            }
        }

        @Override
        public String toString() {
            return type == MetadataType.FLOAT32 ? Float.toString((float) value) : Double.toString(value);
        }
    }

    /** A BOOL value. */
    record BoolValue(boolean value) implements MetadataValue {
        @Override
        public MetadataType type() {
            return MetadataType.BOOL;
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    /** A STRING value (UTF-8 in the file). */
    record StringValue(String value) implements MetadataValue {
        public StringValue {
            Objects.requireNonNull(value);
        }

        @Override
        public MetadataType type() {
            return MetadataType.STRING;
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /**
     * An ARRAY value: elements of one type, kept as the file lays them out (little-endian scalars;
     * strings each preceded by their uint64 byte length; nested arrays as values).
     */
    final class ArrayValue implements MetadataValue {
        private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

        private final MetadataType elementType;
        private final int size;
        /** Scalars: size × fixedSize bytes. Strings: the length-prefixed strings back to back. */
        private final byte[] bytes;
        /** Strings only: where each string's length prefix starts in {@link #bytes}. */
        private final int[] stringStarts;
        /** Nested arrays only. */
        private final List<MetadataValue> nested;

        private ArrayValue(MetadataType elementType, int size, byte[] bytes, int[] stringStarts,
                           List<MetadataValue> nested) {
            this.elementType = elementType;
            this.size = size;
            this.bytes = bytes;
            this.stringStarts = stringStarts;
            this.nested = nested;
        }

        /** Scalar elements stored little-endian, {@code elementType.fixedSize()} bytes each. */
        static ArrayValue ofScalars(MetadataType elementType, byte[] littleEndian) {
            int n = littleEndian.length / elementType.fixedSize();
            return new ArrayValue(elementType, n, littleEndian, null, null);
        }

        /** Strings laid out as in the file; {@code starts[i]} is where string i's length prefix is. */
        static ArrayValue ofEncodedStrings(byte[] encoded, int[] starts) {
            return new ArrayValue(MetadataType.STRING, starts.length, encoded, starts, null);
        }

        /** Nested arrays (all elements are ARRAY values). */
        static ArrayValue ofArrays(List<MetadataValue> arrays) {
            return new ArrayValue(MetadataType.ARRAY, arrays.size(), null, null, List.copyOf(arrays));
        }

        @Override
        public MetadataType type() {
            return MetadataType.ARRAY;
        }

        /** The type of every element. */
        public MetadataType elementType() {
            return elementType;
        }

        /** Number of elements. */
        public int size() {
            return size;
        }

        /** Element {@code i} as a value of {@link #elementType()}. */
        public MetadataValue get(int i) {
            Objects.checkIndex(i, size);
            MemorySegment s = bytes == null ? null : MemorySegment.ofArray(bytes);
            return switch (elementType) {
                case UINT8 -> new IntValue(elementType, Byte.toUnsignedLong(bytes[i]));
                case INT8 -> new IntValue(elementType, bytes[i]);
                case UINT16 -> new IntValue(elementType, Short.toUnsignedLong(s.get(U16, 2L * i)));
                case INT16 -> new IntValue(elementType, s.get(U16, 2L * i));
                case UINT32 -> new IntValue(elementType, Integer.toUnsignedLong(s.get(U32, 4L * i)));
                case INT32 -> new IntValue(elementType, s.get(U32, 4L * i));
                case UINT64, INT64 -> new IntValue(elementType, s.get(U64, 8L * i));
                case FLOAT32 -> new FloatValue(elementType, s.get(F32, 4L * i));
                case FLOAT64 -> new FloatValue(elementType, s.get(F64, 8L * i));
                case BOOL -> new BoolValue(bytes[i] != 0);
                case STRING -> new StringValue(string(i));
                case ARRAY -> nested.get(i);
            };
        }

        /** Elements as strings; only for STRING arrays. */
        public String[] strings() {
            requireElementType(elementType == MetadataType.STRING, "STRING");
            String[] out = new String[size];
            for (int i = 0; i < size; i++) {
                out[i] = string(i);
            }
            return out;
        }

        /** Elements as floats; for FLOAT32 arrays (exact) and FLOAT64 arrays (rounded). */
        public float[] floats() {
            requireElementType(elementType.isFloat(), "FLOAT32 or FLOAT64");
            float[] out = new float[size];
            MemorySegment s = MemorySegment.ofArray(bytes);
            for (int i = 0; i < size; i++) {
                out[i] = elementType == MetadataType.FLOAT32 ? s.get(F32, 4L * i) : (float) s.get(F64, 8L * i);
            }
            return out;
        }

        /** Elements as doubles; for FLOAT32 and FLOAT64 arrays. */
        public double[] doubles() {
            requireElementType(elementType.isFloat(), "FLOAT32 or FLOAT64");
            double[] out = new double[size];
            MemorySegment s = MemorySegment.ofArray(bytes);
            for (int i = 0; i < size; i++) {
                out[i] = elementType == MetadataType.FLOAT32 ? s.get(F32, 4L * i) : s.get(F64, 8L * i);
            }
            return out;
        }

        /** Elements as longs; for arrays of any integer type whose every value fits in a long. */
        public long[] longs() {
            requireElementType(elementType.isInteger(), "an integer type");
            long[] out = new long[size];
            for (int i = 0; i < size; i++) {
                IntValue v = (IntValue) get(i);
                if (!v.fitsInLong()) {
                    throw new ElementTypeException("ARRAY of " + elementType + " whose element " + i + " (" + v
                            + ") does not fit in a long");
                }
                out[i] = v.value();
            }
            return out;
        }

        /** Elements as ints; for arrays of any integer type whose every value fits in an int. */
        public int[] ints() {
            requireElementType(elementType.isInteger(), "an integer type");
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                IntValue v = (IntValue) get(i);
                if (!v.fitsInInt()) {
                    throw new ElementTypeException("ARRAY of " + elementType + " whose element " + i + " (" + v
                            + ") does not fit in an int");
                }
                out[i] = (int) v.value();
            }
            return out;
        }

        /** Elements as booleans; only for BOOL arrays. */
        public boolean[] booleans() {
            requireElementType(elementType == MetadataType.BOOL, "BOOL");
            boolean[] out = new boolean[size];
            for (int i = 0; i < size; i++) {
                out[i] = bytes[i] != 0;
            }
            return out;
        }

        /** Bytes this array's elements take in a GGUF file (without the type and count in front). */
        long encodedSize() {
            if (nested == null) {
                return bytes.length;
            }
            long total = 0;
            for (MetadataValue v : nested) {
                total += 4 + 8 + ((ArrayValue) v).encodedSize();
            }
            return total;
        }

        /** Raw element bytes as in the file; null for nested arrays. */
        byte[] encodedElements() {
            return bytes;
        }

        /** The nested arrays; null unless the element type is ARRAY. */
        List<MetadataValue> nestedArrays() {
            return nested;
        }

        private String string(int i) {
            int start = stringStarts[i];
            int length = (int) MemorySegment.ofArray(bytes).get(U64, start);
            return new String(bytes, start + 8, length, StandardCharsets.UTF_8);
        }

        private void requireElementType(boolean ok, String wanted) {
            if (!ok) {
                throw new ElementTypeException("ARRAY of " + elementType + ", asked for " + wanted);
            }
        }

        /** The elements cannot be read as the type asked for; the message starts with "ARRAY of". */
        public static final class ElementTypeException extends IllegalArgumentException {
            private static final long serialVersionUID = 1L;

            ElementTypeException(String message) {
                super(message);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ArrayValue a && a.elementType == elementType && a.size == size
                    && Arrays.equals(a.bytes, bytes) && Objects.equals(a.nested, nested);
        }

        @Override
        public int hashCode() {
            return Objects.hash(elementType, size, Arrays.hashCode(bytes), nested);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("[");
            int shown = Math.min(size, 8);
            for (int i = 0; i < shown; i++) {
                sb.append(i == 0 ? "" : ", ").append(elementType == MetadataType.STRING ? "'" + get(i) + "'" : get(i));
            }
            return sb.append(size > shown ? ", ... " + size + " " + elementType + " in all]" : "]").toString();
        }
    }

    // Factories, one per GGUF type, for building metadata to write.

    static MetadataValue uint8(int v) { return new IntValue(MetadataType.UINT8, v); }
    static MetadataValue int8(int v) { return new IntValue(MetadataType.INT8, v); }
    static MetadataValue uint16(int v) { return new IntValue(MetadataType.UINT16, v); }
    static MetadataValue int16(int v) { return new IntValue(MetadataType.INT16, v); }
    static MetadataValue uint32(long v) { return new IntValue(MetadataType.UINT32, v); }
    static MetadataValue int32(int v) { return new IntValue(MetadataType.INT32, v); }
    /** The 64 bits of {@code v} as an unsigned value. */
    static MetadataValue uint64(long v) { return new IntValue(MetadataType.UINT64, v); }
    static MetadataValue int64(long v) { return new IntValue(MetadataType.INT64, v); }
    static MetadataValue float32(float v) { return new FloatValue(MetadataType.FLOAT32, v); }
    static MetadataValue float64(double v) { return new FloatValue(MetadataType.FLOAT64, v); }
    static MetadataValue bool(boolean v) { return new BoolValue(v); }
    static MetadataValue string(String v) { return new StringValue(v); }

    /** A STRING array. */
    static ArrayValue stringArray(String... values) {
        return array(MetadataType.STRING, Arrays.stream(values).map(StringValue::new).toList());
    }

    /** A FLOAT32 array. */
    static ArrayValue float32Array(float... values) {
        MemorySegment s = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, 4)]);
        MemorySegment.copy(values, 0, s, ArrayValue.F32, 0, values.length);
        return ArrayValue.ofScalars(MetadataType.FLOAT32, s.toArray(ValueLayout.JAVA_BYTE));
    }

    /** An INT32 array. */
    static ArrayValue int32Array(int... values) {
        MemorySegment s = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, 4)]);
        MemorySegment.copy(values, 0, s, ArrayValue.U32, 0, values.length);
        return ArrayValue.ofScalars(MetadataType.INT32, s.toArray(ValueLayout.JAVA_BYTE));
    }

    /**
     * An array of any element type from values of that type (for nested arrays, ARRAY values).
     *
     * @throws IllegalArgumentException if an element's type differs from {@code elementType}
     */
    static ArrayValue array(MetadataType elementType, List<? extends MetadataValue> elements) {
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i).type() != elementType) {
                throw new IllegalArgumentException("element " + i + " is " + elements.get(i).type()
                        + " in an array of " + elementType);
            }
        }
        if (elementType == MetadataType.ARRAY) {
            return ArrayValue.ofArrays(new ArrayList<>(elements));
        }
        if (elementType == MetadataType.STRING) {
            byte[][] utf8 = new byte[elements.size()][];
            long total = 0;
            for (int i = 0; i < utf8.length; i++) {
                utf8[i] = ((StringValue) elements.get(i)).value().getBytes(StandardCharsets.UTF_8);
                total += 8 + utf8[i].length;
            }
            byte[] encoded = new byte[Math.toIntExact(total)];
            MemorySegment s = MemorySegment.ofArray(encoded);
            int[] starts = new int[utf8.length];
            int at = 0;
            for (int i = 0; i < utf8.length; i++) {
                starts[i] = at;
                s.set(ArrayValue.U64, at, utf8[i].length);
                System.arraycopy(utf8[i], 0, encoded, at + 8, utf8[i].length);
                at += 8 + utf8[i].length;
            }
            return ArrayValue.ofEncodedStrings(encoded, starts);
        }
        int width = elementType.fixedSize();
        MemorySegment s = MemorySegment.ofArray(new byte[Math.multiplyExact(elements.size(), width)]);
        for (int i = 0; i < elements.size(); i++) {
            long at = (long) i * width;
            switch (elements.get(i)) {
                case IntValue v when width == 1 -> s.set(ValueLayout.JAVA_BYTE, at, (byte) v.value());
                case IntValue v when width == 2 -> s.set(ArrayValue.U16, at, (short) v.value());
                case IntValue v when width == 4 -> s.set(ArrayValue.U32, at, (int) v.value());
                case IntValue v -> s.set(ArrayValue.U64, at, v.value());
                case FloatValue v when width == 4 -> s.set(ArrayValue.F32, at, (float) v.value());
                case FloatValue v -> s.set(ArrayValue.F64, at, v.value());
                case BoolValue v -> s.set(ValueLayout.JAVA_BYTE, at, (byte) (v.value() ? 1 : 0));
                default -> throw new IllegalStateException("unreachable: " + elementType);
            }
        }
        return ArrayValue.ofScalars(elementType, s.toArray(ValueLayout.JAVA_BYTE));
    }
}
