package dev.pagoda.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds GGUF bytes field by field, so tests can write files that break the format on purpose and
 * know the offset of every field they wrote.
 */
final class RawGguf {
    private ByteBuffer buf = ByteBuffer.allocate(1 << 12).order(ByteOrder.LITTLE_ENDIAN);

    /** Offset where the next field goes. */
    long at() {
        return buf.position();
    }

    private ByteBuffer room(int n) {
        if (buf.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buf = bigger.put(buf.flip());
        }
        return buf;
    }

    RawGguf u8(int v) { room(1).put((byte) v); return this; }
    RawGguf u32(long v) { room(4).putInt((int) v); return this; }
    RawGguf u64(long v) { room(8).putLong(v); return this; }
    RawGguf f32(float v) { room(4).putFloat(v); return this; }
    RawGguf zeros(int n) { room(n).put(new byte[n]); return this; }

    RawGguf str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(b.length);
        room(b.length).put(b);
        return this;
    }

    /** Magic, version, tensor count, kv count. */
    RawGguf header(int version, long tensors, long kvs) {
        return u32(HeaderReader.MAGIC).u32(version).u64(tensors).u64(kvs);
    }

    /** A key with a UINT32 value. */
    RawGguf kvU32(String key, long value) {
        return str(key).u32(MetadataType.UINT32.id()).u32(value);
    }

    /** A tensor info. */
    RawGguf tensor(String name, GgmlType type, long offset, long... ne) {
        str(name).u32(ne.length);
        for (long d : ne) {
            u64(d);
        }
        return u32(type.id()).u64(offset);
    }

    /** Zero padding up to the next multiple of {@code alignment}. */
    RawGguf pad(int alignment) {
        return zeros((int) (HeaderReader.alignUp(at(), alignment) - at()));
    }

    byte[] bytes() {
        byte[] out = new byte[buf.position()];
        buf.duplicate().flip().get(out);
        return out;
    }

    Path writeTo(Path path) throws IOException {
        return Files.write(path, bytes());
    }
}
