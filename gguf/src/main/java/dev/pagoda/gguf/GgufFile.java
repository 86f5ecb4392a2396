package dev.pagoda.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open GGUF model: its metadata, its tensor table, and its tensor data mapped read-only.
 *
 * <pre>{@code
 * try (GgufFile f = GgufFile.open(path)) {
 *     String arch = f.metadata().getString("general.architecture");
 *     TensorInfo q = f.tensor("blk.0.attn_q.weight");
 *     MemorySegment raw = f.data(q);          // q.byteSize() bytes, straight from the page cache
 * }
 * }</pre>
 *
 * <p>Opening reads only the header: each file is mapped whole ({@link FileChannel#map} into a shared
 * {@link Arena}), so a 40 GB model opens in milliseconds and its weights cost no heap. A split model
 * ({@code name-00001-of-00003.gguf}, keys {@code split.no}, {@code split.count}) opens as one: give
 * any of its files; the metadata is shard 0's and the tensors are those of every shard, in order.
 *
 * <p>Thread-safe. After {@link #close()}, segments from {@link #data} can no longer be read.
 */
public final class GgufFile implements AutoCloseable {
    static final String SPLIT_NO = "split.no";
    static final String SPLIT_COUNT = "split.count";
    static final String SPLIT_TENSORS_COUNT = "split.tensors.count";

    /** One mapped file of the model. */
    private record Shard(Path path, MemorySegment mapped, HeaderReader.Header header) {
    }

    private final Arena arena;
    private final List<Shard> shards;
    private final Metadata metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;

    private GgufFile(Arena arena, List<Shard> shards, List<TensorInfo> tensors, Map<String, TensorInfo> byName) {
        this.arena = arena;
        this.shards = List.copyOf(shards);
        this.metadata = new Metadata(shards.getFirst().header().metadata(), shards.getFirst().path().toString());
        this.tensors = Collections.unmodifiableList(tensors);
        this.byName = byName;
    }

    /**
     * Opens a GGUF file, or every shard of a split model when {@code path} is one of them.
     *
     * @throws GgufFormatException when a file breaks the format (the message names field and offset)
     * @throws IOException         when a file cannot be read
     */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            Shard first = map(arena, path, -1);
            List<Shard> shards = collectShards(arena, first);
            List<TensorInfo> tensors = new ArrayList<>();
            Map<String, TensorInfo> byName = new HashMap<>();
            for (int s = 0; s < shards.size(); s++) {
                for (TensorInfo t : shards.get(s).header().tensors()) {
                    TensorInfo placed = t.shard() == s ? t : new TensorInfo(t.name(), t.shape(), t.type(), t.offset(), s);
                    if (byName.putIfAbsent(placed.name(), placed) != null) {
                        throw new GgufFormatException(shards.get(s).path(), -1, "tensor '" + placed.name()
                                + "' is also in shard " + byName.get(placed.name()).shard() + " of this split model");
                    }
                    tensors.add(placed);
                }
            }
            checkSplitTensorCount(shards, tensors.size());
            return new GgufFile(arena, shards, tensors, byName);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Throws unless {@code path} is an existing regular file: {@link NoSuchFileException} when it is missing,
     * {@link FileSystemException} ("not a regular file") for a directory, device or pipe. {@link #open} checks
     * this first (a directory fails to map with a bare "No such device", and opening a named pipe waits for a
     * writer); callers that want the same refusal before other work call it themselves.
     */
    public static void requireFile(Path path) throws FileSystemException {
        if (!Files.isRegularFile(path)) {
            if (!Files.exists(path)) {
                throw new NoSuchFileException(path.toString());
            }
            throw new FileSystemException(path.toString(), null, "not a regular file (a GGUF model is one)");
        }
    }

    private static Shard map(Arena arena, Path path, int shard) throws IOException {
        requireFile(path);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new Shard(path, mapped, HeaderReader.read(mapped, path, Math.max(shard, 0)));
        }
    }

    /** The shards of the model {@code given} belongs to, in order; just {@code given} if not split. */
    private static List<Shard> collectShards(Arena arena, Shard given) throws IOException {
        Metadata md = new Metadata(given.header().metadata(), given.path().toString());
        if (!md.contains(SPLIT_COUNT)) {
            return List.of(given);
        }
        int count = splitKey(given, md, SPLIT_COUNT);
        int no = md.contains(SPLIT_NO) ? splitKey(given, md, SPLIT_NO) : 0;
        if (count < 1 || no < 0 || no >= count) {
            throw new GgufFormatException(given.path(), -1, SPLIT_NO + " = " + no + " and " + SPLIT_COUNT + " = "
                    + count + " do not describe a shard");
        }
        if (count == 1) {
            return List.of(given);
        }
        SplitFileName name = SplitFileName.parse(given.path()).orElseThrow(() -> new GgufFormatException(
                given.path(), -1, "shard " + no + " of a " + count + "-file split model, but the file name does not"
                + " follow <name>-00001-of-" + String.format("%05d", count) + ".gguf, so the other shards cannot be found"));
        if (name.count() != count || name.number() != no + 1) {
            throw new GgufFormatException(given.path(), -1, "file name says shard " + name.number() + " of "
                    + name.count() + ", but " + SPLIT_NO + " = " + no + " and " + SPLIT_COUNT + " = " + count);
        }
        List<Shard> shards = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Shard s = i == no ? given : map(arena, name.sibling(i + 1), i);
            Metadata smd = new Metadata(s.header().metadata(), s.path().toString());
            int sno = smd.contains(SPLIT_NO) ? splitKey(s, smd, SPLIT_NO) : -1;
            int scount = smd.contains(SPLIT_COUNT) ? splitKey(s, smd, SPLIT_COUNT) : -1;
            if (sno != i || scount != count) {
                throw new GgufFormatException(s.path(), -1, "expected shard " + i + " of " + count + ", found "
                        + SPLIT_NO + " = " + sno + " and " + SPLIT_COUNT + " = " + scount);
            }
            shards.add(s);
        }
        return shards;
    }

    private static void checkSplitTensorCount(List<Shard> shards, int total) throws GgufFormatException {
        Shard first = shards.getFirst();
        Metadata md = new Metadata(first.header().metadata(), first.path().toString());
        if (shards.size() > 1 && md.contains(SPLIT_TENSORS_COUNT)) {
            long expected = splitKey(first, md, SPLIT_TENSORS_COUNT);
            if (expected != total) {
                throw new GgufFormatException(first.path(), -1, SPLIT_TENSORS_COUNT + " = " + expected + " but the "
                        + shards.size() + " shards hold " + total + " tensors");
            }
        }
    }

    private static int splitKey(Shard s, Metadata md, String key) throws GgufFormatException {
        try {
            return md.getInt(key);
        } catch (IllegalArgumentException e) {
            throw new GgufFormatException(s.path(), -1, e.getMessage());
        }
    }

    /** The GGUF version of the (first) file: 2 or 3. */
    public int version() {
        return shards.getFirst().header().version();
    }

    /** The metadata (of shard 0 for a split model). */
    public Metadata metadata() {
        return metadata;
    }

    /** Every tensor, in file order, shard after shard. */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /**
     * The tensor named {@code name}.
     *
     * @throws IllegalArgumentException naming the tensor and the file when there is none
     */
    public TensorInfo tensor(String name) {
        TensorInfo t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in " + path());
        }
        return t;
    }

    /** The tensor named {@code name}, or empty. */
    public Optional<TensorInfo> findTensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The tensor's data: a read-only slice of the mapping, exactly {@code t.byteSize()} bytes.
     *
     * @throws IllegalArgumentException when {@code t} is not a tensor of this file
     */
    public MemorySegment data(TensorInfo t) {
        requireOwn(t);
        Shard s = shards.get(t.shard());
        return s.mapped().asSlice(s.header().dataStart() + t.offset(), t.byteSize()).asReadOnly();
    }

    /** Absolute byte offset of the tensor's data in the file {@link #shardPath(int) shardPath(t.shard())}. */
    public long fileOffset(TensorInfo t) {
        requireOwn(t);
        return dataOffset(t.shard()) + t.offset();
    }

    /** The file this model was opened from; shard 0 for a split model. */
    public Path path() {
        return shards.getFirst().path();
    }

    /** Number of files: 1, or the shard count of a split model. */
    public int shardCount() {
        return shards.size();
    }

    /** The file of shard {@code shard} (0-based). */
    public Path shardPath(int shard) {
        return shards.get(shard).path();
    }

    /** Absolute byte offset where shard {@code shard}'s data section starts. */
    public long dataOffset(int shard) {
        return shards.get(shard).header().dataStart();
    }

    /** The data alignment of the (first) file: {@code general.alignment}, 32 by default. */
    public int alignment() {
        return shards.getFirst().header().alignment();
    }

    /** Byte size of shard {@code shard}'s file. */
    public long shardSize(int shard) {
        return shards.get(shard).mapped().byteSize();
    }

    private void requireOwn(TensorInfo t) {
        if (byName.get(t.name()) != t && !t.equals(byName.get(t.name()))) {
            throw new IllegalArgumentException("tensor " + t + " is not a tensor of " + path());
        }
    }

    /** Unmaps every file; segments returned by {@link #data} become unreadable. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "GgufFile[" + path() + (shards.size() > 1 ? " + " + (shards.size() - 1) + " shards" : "") + ", v"
                + version() + ", " + metadata.size() + " keys, " + tensors.size() + " tensors]";
    }
}
