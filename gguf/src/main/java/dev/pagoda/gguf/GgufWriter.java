package dev.pagoda.gguf;

import dev.pagoda.gguf.MetadataValue.ArrayValue;
import dev.pagoda.gguf.MetadataValue.BoolValue;
import dev.pagoda.gguf.MetadataValue.FloatValue;
import dev.pagoda.gguf.MetadataValue.IntValue;
import dev.pagoda.gguf.MetadataValue.StringValue;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a GGUF file as ggml's own writer lays it out: header, key/values, tensor infos, zero
 * padding to the alignment, then each tensor's data at an aligned offset, in the order added, each
 * followed by zero padding to the alignment.
 *
 * <pre>{@code
 * new GgufWriter()
 *         .put("general.architecture", MetadataValue.string("llama"))
 *         .put("llama.block_count", MetadataValue.uint32(32))
 *         .addTensor("token_embd.weight", GgmlType.F32, new long[] {4096, 32000}, segment)
 *         .write(path);
 * }</pre>
 *
 * <p>Tensor data comes from a {@link MemorySegment} (for instance a slice of another mapped GGUF)
 * or from a {@link TensorData} callback that writes straight into the file's channel, so multi-GB
 * files are written at disk speed without copies on the heap. Nothing is written until {@link
 * #write}; a writer is not thread-safe.
 */
public final class GgufWriter {

    /** Writes one tensor's bytes into the file being written. */
    @FunctionalInterface
    public interface TensorData {
        /**
         * Writes the tensor's {@code byteSize} bytes at {@code position} of {@code channel}, with
         * positional writes. Bytes left unwritten read as zero: a callback that writes nothing
         * leaves a hole in a sparse file.
         */
        void writeTo(FileChannel channel, long position, long byteSize) throws IOException;
    }

    private record Pending(TensorInfo info, TensorData data) {
    }

    private final Map<String, MetadataValue> metadata = new LinkedHashMap<>();
    private final List<Pending> tensors = new ArrayList<>();
    private final Map<String, Integer> tensorIndex = new LinkedHashMap<>();
    private int version = 3;

    /** The GGUF version to write, 2 or 3 (the same layout for little-endian files); 3 by default. */
    public GgufWriter version(int version) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("GGUF version " + version + ": only 2 and 3 can be written");
        }
        this.version = version;
        return this;
    }

    /**
     * Adds a metadata entry; the file keeps the order of {@code put} calls. {@code general.alignment}
     * must be a UINT32 power of two; it sets the alignment of the data.
     *
     * @throws IllegalArgumentException on a duplicate key or a bad alignment
     */
    public GgufWriter put(String key, MetadataValue value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (metadata.containsKey(key)) {
            throw new IllegalArgumentException("metadata key '" + key + "' added twice");
        }
        if (key.equals(HeaderReader.ALIGNMENT_KEY) && !(value instanceof IntValue v && v.type() == MetadataType.UINT32
                && v.value() > 0 && Long.bitCount(v.value()) == 1 && v.value() <= 1 << 30)) {
            throw new IllegalArgumentException(key + " must be a UINT32 power of two, got " + value.type() + " " + value);
        }
        metadata.put(key, value);
        return this;
    }

    /** Adds every entry of {@code md}, in its order. */
    public GgufWriter putAll(Metadata md) {
        md.asMap().forEach(this::put);
        return this;
    }

    /** Adds a tensor whose bytes are {@code data}, exactly {@code byteSize} of the shape and type. */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, MemorySegment data) {
        Objects.requireNonNull(data, "data");
        TensorInfo info = info(name, type, shape);
        if (data.byteSize() != info.byteSize()) {
            throw new IllegalArgumentException("tensor '" + name + "': " + data.byteSize() + " bytes of data, its "
                    + type + " " + Arrays.toString(shape) + " shape needs " + info.byteSize());
        }
        return add(info, (channel, position, byteSize) -> writeFully(channel, data, position));
    }

    /** Adds a tensor whose bytes {@code data} writes into the file. */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, TensorData data) {
        Objects.requireNonNull(data, "data");
        return add(info(name, type, shape), data);
    }

    private TensorInfo info(String name, GgmlType type, long[] shape) {
        Objects.requireNonNull(name, "name");
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes > HeaderReader.MAX_TENSOR_NAME_BYTES) {
            throw new IllegalArgumentException("tensor name '" + name + "' is " + nameBytes
                    + " bytes, ggml allows at most " + HeaderReader.MAX_TENSOR_NAME_BYTES);
        }
        if (tensorIndex.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice");
        }
        return new TensorInfo(name, shape, type, 0, 0);
    }

    private GgufWriter add(TensorInfo info, TensorData data) {
        tensorIndex.put(info.name(), tensors.size());
        tensors.add(new Pending(info, data));
        return this;
    }

    /** The data alignment the file will have. */
    public int alignment() {
        MetadataValue v = metadata.get(HeaderReader.ALIGNMENT_KEY);
        return v == null ? HeaderReader.DEFAULT_ALIGNMENT : (int) ((IntValue) v).value();
    }

    /**
     * Writes the file, replacing any file at {@code path}.
     *
     * @return the tensors as the file lists them, with their data offsets
     */
    public List<TensorInfo> write(Path path) throws IOException {
        int alignment = alignment();
        List<TensorInfo> placed = new ArrayList<>(tensors.size());
        long offset = 0;
        for (Pending p : tensors) {
            TensorInfo t = p.info();
            placed.add(new TensorInfo(t.name(), t.shape(), t.type(), offset, 0));
            offset = Math.addExact(offset, HeaderReader.alignUp(t.byteSize(), alignment));
        }
        long dataSize = offset;

        Encoder header = new Encoder();
        header.u32(HeaderReader.MAGIC);
        header.u32(version);
        header.u64(placed.size());
        header.u64(metadata.size());
        for (Map.Entry<String, MetadataValue> e : metadata.entrySet()) {
            header.string(e.getKey());
            header.u32(e.getValue().type().id());
            header.value(e.getValue());
        }
        for (TensorInfo t : placed) {
            header.string(t.name());
            header.u32(t.rank());
            for (int d = 0; d < t.rank(); d++) {
                header.u64(t.dim(d));
            }
            header.u32(t.type().id());
            header.u64(t.offset());
        }
        long dataStart = HeaderReader.alignUp(header.size(), alignment);
        header.zeros((int) (dataStart - header.size()));

        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, MemorySegment.ofBuffer(header.buffer()), 0);
            for (int i = 0; i < placed.size(); i++) {
                TensorInfo t = placed.get(i);
                tensors.get(i).data().writeTo(ch, dataStart + t.offset(), t.byteSize());
            }
            long end = dataStart + dataSize;
            if (ch.size() > end) {
                throw new IOException(path + ": a tensor callback wrote past the end of the data section (" + ch.size()
                        + " > " + end + " bytes)");
            }
            if (ch.size() < end) {
                // The last padding (or unwritten sparse data): extend the file with zeros.
                ch.write(ByteBuffer.allocate(1), end - 1);
            }
        }
        return List.copyOf(placed);
    }

    /** Writes all of {@code data} at {@code position}, in chunks a ByteBuffer can hold. */
    private static void writeFully(FileChannel ch, MemorySegment data, long position) throws IOException {
        long chunk = 1L << 30;
        for (long done = 0; done < data.byteSize(); done += chunk) {
            ByteBuffer buf = data.asSlice(done, Math.min(chunk, data.byteSize() - done)).asByteBuffer();
            long at = position + done;
            while (buf.hasRemaining()) {
                at += ch.write(buf, at);
            }
        }
    }

    /** A growable little-endian byte buffer for the header. */
    private static final class Encoder {
        private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private ByteBuffer room(long n) {
            if (buf.remaining() < n) {
                long want = Math.max((long) buf.capacity() * 2, buf.position() + n);
                if (want > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("GGUF header larger than 2 GiB");
                }
                ByteBuffer bigger = ByteBuffer.allocate((int) want).order(ByteOrder.LITTLE_ENDIAN);
                bigger.put(buf.flip());
                buf = bigger;
            }
            return buf;
        }

        long size() {
            return buf.position();
        }

        ByteBuffer buffer() {
            return buf.duplicate().flip();
        }

        void u8(int v) { room(1).put((byte) v); }
        void u16(int v) { room(2).putShort((short) v); }
        void u32(int v) { room(4).putInt(v); }
        void u64(long v) { room(8).putLong(v); }
        void bytes(byte[] b) { room(b.length).put(b); }
        void zeros(int n) { room(n).put(new byte[n]); }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            u64(utf8.length);
            bytes(utf8);
        }

        void value(MetadataValue value) {
            switch (value) {
                case IntValue v -> {
                    switch (v.type().fixedSize()) {
                        case 1 -> u8((int) v.value());
                        case 2 -> u16((int) v.value());
                        case 4 -> u32((int) v.value());
                        default -> u64(v.value());
                    }
                }
                case FloatValue v when v.type() == MetadataType.FLOAT32 -> room(4).putFloat((float) v.value());
                case FloatValue v -> room(8).putDouble(v.value());
                case BoolValue v -> u8(v.value() ? 1 : 0);
                case StringValue v -> string(v.value());
                case ArrayValue a -> {
                    u32(a.elementType().id());
                    u64(a.size());
                    if (a.elementType() == MetadataType.ARRAY) {
                        for (MetadataValue nested : a.nestedArrays()) {
                            value(nested);
                        }
                    } else {
                        bytes(a.encodedElements());
                    }
                }
            }
        }
    }
}
