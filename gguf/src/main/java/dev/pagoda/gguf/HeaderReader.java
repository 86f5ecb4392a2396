package dev.pagoda.gguf;

import dev.pagoda.gguf.MetadataValue.ArrayValue;
import dev.pagoda.gguf.MetadataValue.BoolValue;
import dev.pagoda.gguf.MetadataValue.FloatValue;
import dev.pagoda.gguf.MetadataValue.IntValue;
import dev.pagoda.gguf.MetadataValue.StringValue;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the header of one GGUF file (magic, version, counts, key/values, tensor infos) from its
 * mapped bytes, checking every field against what the file can hold before allocating for it.
 *
 * <p>Layout (GGUF v2/v3, little-endian): {@code "GGUF"}, uint32 version, uint64 tensor count,
 * uint64 kv count, the key/values (string key, uint32 type, value), the tensor infos (string name,
 * uint32 n_dims, n_dims × uint64 ne, uint32 ggml type, uint64 offset), zero padding to the
 * alignment, then the data section.
 */
final class HeaderReader {
    /** "GGUF" read as a little-endian uint32. */
    static final int MAGIC = 0x46554747;
    static final int DEFAULT_ALIGNMENT = 32;
    static final String ALIGNMENT_KEY = "general.alignment";
    /** ggml's GGML_MAX_NAME: names are at most 63 bytes plus a terminating zero. */
    static final int MAX_TENSOR_NAME_BYTES = 63;
    static final int MAX_DIMS = 4;
    /** Java arrays hold at most a little under 2^31 elements. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Smallest tensor info: empty name (8), n_dims (4), type (4), offset (8). */
    private static final long MIN_TENSOR_INFO_BYTES = 24;
    /** Smallest key/value: empty key (8), type (4), one-byte value (1). */
    private static final long MIN_KV_BYTES = 13;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** What one file's header says. Tensor offsets are checked against the file's size. */
    record Header(int version, Map<String, MetadataValue> metadata, List<TensorInfo> tensors, int alignment,
                  long dataStart) {
    }

    private final MemorySegment file;
    private final Path path;
    private final long size;
    private long pos;

    private HeaderReader(MemorySegment file, Path path) {
        this.file = file;
        this.path = path;
        this.size = file.byteSize();
    }

    /**
     * Reads the header of {@code file} (the whole file, mapped), numbering its tensors as belonging
     * to {@code shard}.
     */
    static Header read(MemorySegment file, Path path, int shard) throws GgufFormatException {
        return new HeaderReader(file, path).read(shard);
    }

    private Header read(int shard) throws GgufFormatException {
        require(4, "magic");
        int magic = file.get(U32, 0);
        if (magic != MAGIC) {
            throw fail(0, "not a GGUF file: magic is " + describeMagic() + ", expected 'GGUF'");
        }
        pos = 4;
        long versionAt = pos;
        int version = u32("version");
        if ((version & 0xFFFF) == 0 && version != 0) {
            throw fail(versionAt, "version 0x" + Integer.toHexString(version)
                    + " looks byte-swapped: big-endian GGUF files are not supported");
        }
        if (version == 1) {
            throw fail(versionAt, "GGUF version 1 is not supported (only versions 2 and 3)");
        }
        if (version != 2 && version != 3) {
            throw fail(versionAt, "unknown GGUF version " + Integer.toUnsignedString(version)
                    + " (only versions 2 and 3 are supported)");
        }
        long tensorCountAt = pos;
        long tensorCount = u64("tensor count");
        long kvCountAt = pos;
        long kvCount = u64("metadata key/value count");
        long left = size - pos;
        if (kvCount < 0 || kvCount > left / MIN_KV_BYTES) {
            throw fail(kvCountAt, "metadata key/value count " + Long.toUnsignedString(kvCount)
                    + " cannot fit in the " + left + " bytes left in the file");
        }
        if (tensorCount < 0 || tensorCount > left / MIN_TENSOR_INFO_BYTES || tensorCount > MAX_ARRAY) {
            throw fail(tensorCountAt, "tensor count " + Long.toUnsignedString(tensorCount)
                    + " cannot fit in the " + left + " bytes left in the file");
        }

        Map<String, MetadataValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long keyAt = pos;
            String key = string("metadata key " + i);
            if (metadata.containsKey(key)) {
                throw fail(keyAt, "metadata key " + i + " '" + key + "' appears twice");
            }
            metadata.put(key, value("metadata key '" + key + "'", 0));
        }
        int alignment = alignment(metadata.get(ALIGNMENT_KEY));

        List<TensorInfo> tensors = new ArrayList<>((int) Math.min(tensorCount, 1 << 16));
        Map<String, Integer> seen = new HashMap<>();
        // Grown as entries parse, so a count the file does not back allocates nothing.
        long[] infoOffsets = new long[(int) Math.min(tensorCount, 1 << 16)];
        for (int i = 0; i < tensorCount; i++) {
            if (i == infoOffsets.length) {
                infoOffsets = Arrays.copyOf(infoOffsets, (int) Math.min(tensorCount, 2L * i));
            }
            infoOffsets[i] = pos;
            tensors.add(tensorInfo(i, shard, seen));
        }

        long dataStart = alignUp(pos, alignment);
        if (dataStart > size && !tensors.isEmpty()) {
            throw fail(pos, "data section would start at " + dataStart + ", past the end of the file (" + size
                    + " bytes)");
        }
        checkTensorPlacement(tensors, infoOffsets, alignment, dataStart);
        return new Header(version, metadata, tensors, alignment, dataStart);
    }

    private TensorInfo tensorInfo(int i, int shard, Map<String, Integer> seen) throws GgufFormatException {
        long nameAt = pos;
        String name = string("tensor " + i + " name");
        String what = "tensor " + i + " '" + name + "'";
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes > MAX_TENSOR_NAME_BYTES) {
            throw fail(nameAt, what + ": name is " + nameBytes + " bytes, ggml allows at most " + MAX_TENSOR_NAME_BYTES);
        }
        Integer earlier = seen.putIfAbsent(name, i);
        if (earlier != null) {
            throw fail(nameAt, what + ": duplicate name, tensor " + earlier + " has it too");
        }
        long dimsAt = pos;
        int nDims = u32(what + " n_dims");
        if (nDims < 0 || nDims > MAX_DIMS) {
            throw fail(dimsAt, what + ": n_dims " + Integer.toUnsignedString(nDims) + " outside 0.." + MAX_DIMS);
        }
        // ggml reads a 0-dimension tensor as a single element (all ne = 1).
        long[] shape = nDims == 0 ? new long[] {1} : new long[nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            long dimAt = pos;
            shape[d] = u64(what + " ne[" + d + "]");
            if (shape[d] < 0) {
                throw fail(dimAt, what + ": ne[" + d + "] = " + Long.toUnsignedString(shape[d]) + " is negative as int64");
            }
            elements = multiplyOrFail(elements, shape[d], dimAt, what, shape);
        }
        long typeAt = pos;
        int typeId = u32(what + " type");
        GgmlType type = GgmlType.fromId(typeId);
        if (type == null) {
            throw fail(typeAt, what + ": type id " + Integer.toUnsignedString(typeId) + " unknown");
        }
        if (shape[0] % type.blockSize() != 0) {
            throw fail(typeAt, what + ": row length ne[0] = " + shape[0] + " is not a multiple of the " + type
                    + " block size " + type.blockSize());
        }
        if (elements / type.blockSize() > Long.MAX_VALUE / type.typeSize()) {
            throw fail(dimsAt, what + ": byte size of " + Arrays.toString(shape) + " " + type + " overflows 64 bits");
        }
        long offsetAt = pos;
        long offset = u64(what + " data offset");
        if (offset < 0) {
            throw fail(offsetAt, what + ": data offset " + Long.toUnsignedString(offset) + " is past any file");
        }
        return new TensorInfo(name, shape, type, offset, shard);
    }

    private long multiplyOrFail(long a, long b, long at, String what, long[] shape) throws GgufFormatException {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if (hi != 0 || lo < 0) {
            throw fail(at, what + ": element count of " + Arrays.toString(shape) + " overflows int64");
        }
        return lo;
    }

    /** Tensors must start on the alignment, lie inside the file and not overlap. */
    private void checkTensorPlacement(List<TensorInfo> tensors, long[] infoOffsets, int alignment, long dataStart)
            throws GgufFormatException {
        long dataSize = size - dataStart;
        Integer[] byOffset = new Integer[tensors.size()];
        for (int i = 0; i < byOffset.length; i++) {
            TensorInfo t = tensors.get(i);
            long at = infoOffsets[i];
            String what = "tensor " + i + " '" + t.name() + "'";
            if (t.offset() % alignment != 0) {
                throw fail(at, what + ": data offset " + t.offset() + " is not a multiple of the alignment " + alignment);
            }
            long bytes = t.byteSize();
            if (t.offset() > dataSize || bytes > dataSize - t.offset()) {
                throw fail(at, what + ": data [" + t.offset() + ", " + t.offset() + " + " + bytes
                        + ") of the data section at " + dataStart + " runs past the end of the file (" + size + " bytes)");
            }
            byOffset[i] = i;
        }
        Arrays.sort(byOffset, (a, b) -> Long.compare(tensors.get(a).offset(), tensors.get(b).offset()));
        for (int k = 1; k < byOffset.length; k++) {
            TensorInfo prev = tensors.get(byOffset[k - 1]);
            TensorInfo next = tensors.get(byOffset[k]);
            if (prev.byteSize() > 0 && next.byteSize() > 0 && prev.offset() + prev.byteSize() > next.offset()) {
                throw fail(infoOffsets[byOffset[k]], "tensor " + byOffset[k] + " '" + next.name() + "': data at "
                        + next.offset() + " overlaps tensor " + byOffset[k - 1] + " '" + prev.name() + "' (data ["
                        + prev.offset() + ", " + (prev.offset() + prev.byteSize()) + "))");
            }
        }
    }

    private int alignment(MetadataValue value) throws GgufFormatException {
        if (value == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (!(value instanceof IntValue v)) {
            throw fail(-1, ALIGNMENT_KEY + " is " + value.type() + ", expected UINT32");
        }
        if (!v.fitsInInt() || v.value() <= 0 || Long.bitCount(v.value()) != 1) {
            throw fail(-1, ALIGNMENT_KEY + " = " + v + " is not a power of two");
        }
        return (int) v.value();
    }

    /** A value of the type read next, or (depth > 0) an array element of a known type. */
    private MetadataValue value(String what, int depth) throws GgufFormatException {
        long typeAt = pos;
        int typeId = u32(what + " type");
        MetadataType type = MetadataType.fromId(typeId);
        if (type == null) {
            throw fail(typeAt, what + ": value type id " + Integer.toUnsignedString(typeId) + " unknown");
        }
        return valueOf(type, what, depth);
    }

    private MetadataValue valueOf(MetadataType type, String what, int depth) throws GgufFormatException {
        return switch (type) {
            case UINT8 -> new IntValue(type, Byte.toUnsignedLong(file.get(ValueLayout.JAVA_BYTE, advance(1, what))));
            case INT8 -> new IntValue(type, file.get(ValueLayout.JAVA_BYTE, advance(1, what)));
            case UINT16 -> new IntValue(type, Short.toUnsignedLong(file.get(U16, advance(2, what))));
            case INT16 -> new IntValue(type, file.get(U16, advance(2, what)));
            case UINT32 -> new IntValue(type, Integer.toUnsignedLong(file.get(U32, advance(4, what))));
            case INT32 -> new IntValue(type, file.get(U32, advance(4, what)));
            case UINT64, INT64 -> new IntValue(type, file.get(U64, advance(8, what)));
            case FLOAT32 -> new FloatValue(type, file.get(F32, advance(4, what)));
            case FLOAT64 -> new FloatValue(type, file.get(F64, advance(8, what)));
            case BOOL -> new BoolValue(file.get(ValueLayout.JAVA_BYTE, advance(1, what)) != 0);
            case STRING -> new StringValue(string(what));
            case ARRAY -> array(what, depth);
        };
    }

    private ArrayValue array(String what, int depth) throws GgufFormatException {
        long typeAt = pos;
        int typeId = u32(what + " array element type");
        MetadataType elementType = MetadataType.fromId(typeId);
        if (elementType == null) {
            throw fail(typeAt, what + ": array element type id " + Integer.toUnsignedString(typeId) + " unknown");
        }
        long countAt = pos;
        long count = u64(what + " array length");
        // Strings take at least their 8-byte length, nested arrays their 12-byte type and count.
        long minElementBytes = switch (elementType) {
            case STRING -> 8;
            case ARRAY -> 12;
            default -> elementType.fixedSize();
        };
        long left = size - pos;
        if (count < 0 || count > left / minElementBytes || count > MAX_ARRAY) {
            throw fail(countAt, what + ": array of " + Long.toUnsignedString(count) + " " + elementType
                    + " cannot fit in the " + left + " bytes left in the file");
        }
        int n = (int) count;
        if (elementType == MetadataType.ARRAY) {
            // Each level needs 12 bytes, so the file size bounds the depth; the stack bounds it sooner.
            if (depth >= 64) {
                throw fail(typeAt, what + ": arrays nested more than 64 deep");
            }
            List<MetadataValue> nested = new ArrayList<>(Math.min(n, 1 << 16));
            for (int i = 0; i < n; i++) {
                nested.add(array(what + "[" + i + "]", depth + 1));
            }
            return ArrayValue.ofArrays(nested);
        }
        if (elementType == MetadataType.STRING) {
            long start = pos;
            // Grown as strings parse, so a count the file does not back allocates nothing.
            int[] starts = new int[Math.min(n, 1 << 16)];
            for (int i = 0; i < n; i++) {
                if (i == starts.length) {
                    starts = Arrays.copyOf(starts, (int) Math.min(n, 2L * i));
                }
                long rel = pos - start;
                if (rel > MAX_ARRAY) {
                    throw fail(pos, what + ": string array larger than " + MAX_ARRAY + " bytes");
                }
                starts[i] = (int) rel;
                // Hot loop (a vocabulary has 10^5 strings): no message is built unless it fails.
                long lengthAt = pos;
                if (size - pos < 8) {
                    require(8, what + "[" + i + "] length");
                }
                long length = file.get(U64, pos);
                pos += 8;
                if (length < 0 || length > size - pos) {
                    throw fail(lengthAt, what + "[" + i + "]: string of " + Long.toUnsignedString(length)
                            + " bytes runs past the end of the file (" + (size - pos) + " bytes left)");
                }
                pos += length;
            }
            if (pos - start > MAX_ARRAY) {
                throw fail(start, what + ": string array larger than " + MAX_ARRAY + " bytes");
            }
            byte[] encoded = file.asSlice(start, pos - start).toArray(ValueLayout.JAVA_BYTE);
            return ArrayValue.ofEncodedStrings(encoded, starts);
        }
        long bytes = count * elementType.fixedSize();
        byte[] raw = file.asSlice(advance(bytes, what), bytes).toArray(ValueLayout.JAVA_BYTE);
        return ArrayValue.ofScalars(elementType, raw);
    }

    private String string(String what) throws GgufFormatException {
        long lengthAt = pos;
        long length = u64(what + " length");
        if (length < 0 || length > size - pos) {
            throw fail(lengthAt, what + ": string of " + Long.toUnsignedString(length)
                    + " bytes runs past the end of the file (" + (size - pos) + " bytes left)");
        }
        if (length > MAX_ARRAY) {
            throw fail(lengthAt, what + ": string of " + length + " bytes is longer than a Java string can be");
        }
        byte[] utf8 = file.asSlice(advance(length, what), length).toArray(ValueLayout.JAVA_BYTE);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private int u32(String what) throws GgufFormatException {
        return file.get(U32, advance(4, what));
    }

    private long u64(String what) throws GgufFormatException {
        return file.get(U64, advance(8, what));
    }

    /** Claims the next {@code n} bytes, returning where they start. */
    private long advance(long n, String what) throws GgufFormatException {
        require(n, what);
        long at = pos;
        pos += n;
        return at;
    }

    private void require(long n, String what) throws GgufFormatException {
        if (n > size - pos) {
            throw fail(pos, "file truncated: " + what + " needs " + n + " bytes, only " + (size - pos)
                    + " left (file is " + size + " bytes)");
        }
    }

    private String describeMagic() {
        byte[] b = file.asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE);
        StringBuilder sb = new StringBuilder("'");
        for (byte c : b) {
            sb.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\x%02x", c & 0xff));
        }
        return sb.append('\'').toString();
    }

    private GgufFormatException fail(long offset, String what) {
        return new GgufFormatException(path, offset, what);
    }

    static long alignUp(long value, int alignment) {
        return (value + alignment - 1) & -(long) alignment;
    }
}
