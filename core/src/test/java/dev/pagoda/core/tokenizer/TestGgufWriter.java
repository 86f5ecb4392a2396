package dev.pagoda.core.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a tensor-less GGUF v3 file holding only metadata, for tokenizer loading tests. */
final class TestGgufWriter {

  private static final int UINT32 = 4;
  private static final int INT32 = 5;
  private static final int FLOAT32 = 6;
  private static final int BOOL = 7;
  private static final int STRING = 8;
  private static final int ARRAY = 9;

  private final Map<String, byte[]> values = new LinkedHashMap<>();

  TestGgufWriter string(String key, String value) {
    Buffer b = new Buffer();
    b.u32(STRING);
    b.str(value);
    values.put(key, b.bytes());
    return this;
  }

  TestGgufWriter uint32(String key, int value) {
    Buffer b = new Buffer();
    b.u32(UINT32);
    b.u32(value);
    values.put(key, b.bytes());
    return this;
  }

  TestGgufWriter bool(String key, boolean value) {
    Buffer b = new Buffer();
    b.u32(BOOL);
    b.out.write(value ? 1 : 0);
    values.put(key, b.bytes());
    return this;
  }

  TestGgufWriter strings(String key, String... array) {
    Buffer b = new Buffer();
    b.u32(ARRAY);
    b.u32(STRING);
    b.u64(array.length);
    for (String s : array) {
      b.str(s);
    }
    values.put(key, b.bytes());
    return this;
  }

  TestGgufWriter floats(String key, float... array) {
    Buffer b = new Buffer();
    b.u32(ARRAY);
    b.u32(FLOAT32);
    b.u64(array.length);
    for (float f : array) {
      b.u32(Float.floatToRawIntBits(f));
    }
    values.put(key, b.bytes());
    return this;
  }

  TestGgufWriter ints(String key, int... array) {
    Buffer b = new Buffer();
    b.u32(ARRAY);
    b.u32(INT32);
    b.u64(array.length);
    for (int i : array) {
      b.u32(i);
    }
    values.put(key, b.bytes());
    return this;
  }

  Path write(Path file) throws IOException {
    Buffer b = new Buffer();
    b.out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
    b.u32(3);
    b.u64(0); // tensors
    b.u64(values.size());
    for (Map.Entry<String, byte[]> entry : values.entrySet()) {
      b.str(entry.getKey());
      b.out.writeBytes(entry.getValue());
    }
    while (b.out.size() % 32 != 0) {
      b.out.write(0);
    }
    Files.write(file, b.bytes());
    return file;
  }

  private static final class Buffer {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void u32(int v) {
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    void u64(long v) {
      out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    void str(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      u64(utf8.length);
      out.writeBytes(utf8);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
