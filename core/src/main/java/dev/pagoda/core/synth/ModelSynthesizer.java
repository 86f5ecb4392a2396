package dev.pagoda.core.synth;

import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.GgufWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a synthetic Llama GGUF: the tensor list of {@link QuantMix#plan}, the metadata of {@link
 * LlamaMetadata} with a {@link SyntheticVocabulary}, and seeded random weights.
 *
 * <p>Tensors are cut into chunks of whole rows (about {@value #CHUNK_BYTES} bytes); each chunk
 * has its own generator seeded from (seed, tensor, chunk), is made by one worker in that worker's
 * reusable direct buffer and written with one positional write. Workers run ahead across tensor
 * boundaries (at most {@code 2 × threads} chunks in flight), so all cores stay busy and nothing the
 * size of a tensor is ever held in memory. The file depends on the seed only, not on the thread
 * count.
 *
 * <p>Values: matrices N(0, 0.02)-like (Irwin–Hall of four uniforms), norm weights 1 + N(0, 0.1)-like,
 * {@code rope_freqs.weight} the exact Llama 3 scaling factors.
 */
public final class ModelSynthesizer {
    /** Target bytes per chunk; a chunk is at least one row. */
    static final int CHUNK_BYTES = 1 << 20;
    /** Standard deviation of matrix weights. */
    static final float WEIGHT_STD = 0.02f;
    /** Standard deviation of norm weights around 1 (not exactly 1, so a missing multiply shows). */
    static final float NORM_STD = 0.1f;

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ModelSynthesizer() {
    }

    /**
     * Writes the model {@code options} describe to {@code path}, replacing any file there.
     *
     * @throws IOException when the file cannot be written (the partial file is left), or, before anything is
     *     written, when its tensors alone need more space than the file system has free
     */
    public static SynthResult write(SynthOptions options, Path path) throws IOException {
        long start = System.nanoTime();
        ModelShape shape = options.shape();
        List<PlannedTensor> plan = QuantMix.plan(shape, options.fileType());
        checkSpace(path, plan.stream().mapToLong(PlannedTensor::byteSize).sum());
        SyntheticVocabulary vocab = SyntheticVocabulary.build(shape.vocabSize(), shape.specialTokens());

        GgufWriter writer = new GgufWriter();
        LlamaMetadata.putAll(writer, shape, options.fileType(), vocab);
        int threads = options.threads();
        long maxRowBytes = plan.stream().mapToLong(PlannedTensor::rowBytes).max().orElse(0);
        int maxRowLength = plan.stream().mapToInt(PlannedTensor::rowLength).max().orElse(0);
        long bufferBytes = Math.max(CHUNK_BYTES, maxRowBytes);

        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pagoda-synth");
            t.setDaemon(true);
            return t;
        });
        try (Arena arena = Arena.ofShared()) {
            try {
                BlockingQueue<Scratch> scratches = new ArrayBlockingQueue<>(2 * threads);
                for (int i = 0; i < 2 * threads; i++) {
                    scratches.add(new Scratch(arena.allocate(bufferBytes, 64), new float[maxRowLength]));
                }
                Pipeline pipeline = new Pipeline(pool, scratches, 2 * threads);
                for (int i = 0; i < plan.size(); i++) {
                    PlannedTensor t = plan.get(i);
                    int tensorIndex = i;
                    boolean last = i == plan.size() - 1;
                    writer.addTensor(t.name(), t.type(), t.shape(), (channel, position, byteSize) -> {
                        pipeline.submitTensor(t, tensorIndex, options, channel, position);
                        if (last) {
                            // GgufWriter closes the channel when the last callback returns.
                            pipeline.drain();
                        }
                    });
                }
                writer.write(path);
            } finally {
                // Workers must be gone before their buffers are freed, also after a failure.
                pool.shutdownNow();
                awaitQuietly(pool);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new SynthResult(path, plan, Files.size(path), seconds);
    }

    /** Refuses a file that cannot fit: a 70B file on a nearly full disk would otherwise fill it and fail late. */
    private static void checkSpace(Path path, long tensorBytes) throws IOException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;   // the writer names the missing directory
        }
        long free = Files.getFileStore(dir).getUsableSpace() + (Files.isRegularFile(target) ? Files.size(target) : 0);
        if (tensorBytes > free) {
            throw new IOException(path + ": the tensors need " + tensorBytes + " bytes (" + (tensorBytes >> 20)
                    + " MiB) but " + dir + " has " + free + " bytes (" + (free >> 20) + " MiB) free: nothing was written");
        }
    }

    private static void awaitQuietly(ExecutorService pool) throws InterruptedIOException {
        try {
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("synth workers did not stop within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while stopping the synth workers");
        }
    }

    /** One worker's reusable buffers: a chunk of output and one row of floats. */
    private record Scratch(MemorySegment buffer, float[] row) {
    }

    /** Chunks in flight, bounded by the number of scratch buffers; remembers the first failure. */
    private static final class Pipeline {
        private final ExecutorService pool;
        private final BlockingQueue<Scratch> scratches;
        private final Semaphore inFlight;
        private final int permits;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Pipeline(ExecutorService pool, BlockingQueue<Scratch> scratches, int permits) {
            this.pool = pool;
            this.scratches = scratches;
            this.permits = permits;
            this.inFlight = new Semaphore(permits);
        }

        void submitTensor(PlannedTensor t, int tensorIndex, SynthOptions options, FileChannel channel, long position)
                throws IOException {
            long rowBytes = t.rowBytes();
            long rowsPerChunk = Math.max(1, CHUNK_BYTES / rowBytes);
            long rows = t.rowCount();
            for (long chunk = 0, row = 0; row < rows; chunk++, row += rowsPerChunk) {
                long firstRow = row;
                long chunkRows = Math.min(rowsPerChunk, rows - row);
                long chunkIndex = chunk;
                acquire();
                pool.execute(() -> {
                    Scratch s = scratches.poll();
                    try {
                        long bytes = chunkRows * rowBytes;
                        MemorySegment out = s.buffer().asSlice(0, bytes);
                        ChunkRandom rnd = new ChunkRandom(options.seed(), tensorIndex, chunkIndex);
                        fillChunk(t, options, rnd, chunkRows, out, s.row());
                        writeFully(channel, out, position + firstRow * rowBytes);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        scratches.add(s);
                        inFlight.release();
                    }
                });
            }
        }

        private void acquire() throws IOException {
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing a synthetic model");
            }
            rethrowFailure();
        }

        /** Waits for every chunk in flight, then reports the first failure. */
        void drain() throws IOException {
            try {
                inFlight.acquire(permits);
                inFlight.release(permits);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing a synthetic model");
            }
            rethrowFailure();
        }

        private void rethrowFailure() throws IOException {
            Throwable e = failure.get();
            if (e instanceof IOException io) {
                throw new IOException("writing the synthetic model failed: " + io.getMessage(), io);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error err) {
                throw err;
            }
        }
    }

    /** Makes {@code rows} rows of {@code t} into {@code out}, drawing from {@code rnd}. */
    static void fillChunk(PlannedTensor t, SynthOptions options, ChunkRandom rnd, long rows, MemorySegment out,
            float[] row) {
        GgmlType type = t.type();
        int n = t.rowLength();
        if (t.role() == TensorRole.ROPE_FREQS) {
            ModelShape shape = options.shape();
            float[] factors = shape.ropeScaling().ropeFreqs(shape.headDimension(), shape.ropeTheta());
            MemorySegment.copy(factors, 0, out, F32, 0, factors.length);
            return;
        }
        if (options.mode() == WeightMode.FAST && RandomBlocks.supports(type)) {
            RandomBlocks.fill(type, rnd, out, 0, rows * n / type.blockSize(), WEIGHT_STD);
            return;
        }
        long rowBytes = t.rowBytes();
        for (long r = 0; r < rows; r++) {
            if (t.role().isNorm()) {
                for (int i = 0; i < n; i++) {
                    row[i] = 1 + NORM_STD * rnd.nextGaussian();
                }
            } else {
                for (int i = 0; i < n; i++) {
                    row[i] = WEIGHT_STD * rnd.nextGaussian();
                }
            }
            if (type == GgmlType.F32) {
                MemorySegment.copy(row, 0, out, F32, r * rowBytes, n);
            } else {
                type.quantize(row, 0, n, out, r * rowBytes);
            }
        }
    }

    private static void writeFully(FileChannel channel, MemorySegment data, long position) throws IOException {
        ByteBuffer buf = data.asByteBuffer();
        long at = position;
        while (buf.hasRemaining()) {
            at += channel.write(buf, at);
        }
    }
}
