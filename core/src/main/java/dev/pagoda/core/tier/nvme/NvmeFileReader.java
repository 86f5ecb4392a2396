package dev.pagoda.core.tier.nvme;

import dev.pagoda.nvme.dma.DmaAllocator;
import dev.pagoda.nvme.driver.ControllerOptions;
import dev.pagoda.nvme.driver.NvmeController;
import dev.pagoda.nvme.driver.RegisterFile;
import dev.pagoda.nvme.manifest.ExtentMappedSource;
import dev.pagoda.nvme.manifest.ModelManifest;
import dev.pagoda.nvme.source.NamespaceReader;
import dev.pagoda.nvme.vfio.VfioPciDevice;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A model file read from its NVMe namespace through its extent manifest, by the userspace driver.
 * Owns the controller while open: VFIO device, DMA mappings, and one I/O queue pair per reading
 * thread, each queue with its own {@link NamespaceReader} (up to 32 commands of 128 KiB in flight)
 * behind an {@link ExtentMappedSource}. A read is cut into chunks that go to whichever queue is
 * free, so a large read keeps every queue busy at once.
 *
 * <p>Opening checks that the manifest belongs to the model file (same size, same SHA-256 of the
 * header bytes read normally) and, per queue, that the controller is the one recorded and that the
 * header read raw through the extents still hashes the same: a moved or rewritten file is refused
 * before any weight is read. Thread-safe.
 */
public final class NvmeFileReader implements AutoCloseable {
    /** Bytes per chunk handed to one queue: 32 commands of 128 KiB, the reader's full depth. */
    static final long CHUNK = 4L << 20;
    /** I/O queue pairs, hence reading threads, unless asked otherwise. */
    public static final int DEFAULT_QUEUE_PAIRS = 2;

    private final ModelManifest manifest;
    private final String description;
    private final BlockingQueue<ExtentMappedSource> idle;
    private final ExecutorService threads;
    private final List<AutoCloseable> owned;
    private final LongAdder bytesRead = new LongAdder();
    private boolean closed;

    private NvmeFileReader(ModelManifest manifest, String description, List<ExtentMappedSource> sources,
            List<AutoCloseable> owned) {
        this.manifest = manifest;
        this.description = description;
        this.idle = new ArrayBlockingQueue<>(sources.size(), false, sources);
        this.owned = owned;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(sources.size(), r -> {
            Thread t = new Thread(r, "pagoda-nvme-read-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Takes the controller named in {@code manifest} (it must already be bound to vfio-pci:
     * {@code pagoda nvme bind}) and opens {@code modelFile}'s bytes on it.
     *
     * @param queuePairs I/O queue pairs, one reading thread each
     * @throws IOException naming what does not match, or why the controller cannot be used
     */
    public static NvmeFileReader open(Path modelFile, ModelManifest manifest, int queuePairs) throws IOException {
        checkBelongsTo(manifest, modelFile);
        VfioPciDevice device;
        try {
            device = VfioPciDevice.open(manifest.pciAddress());
        } catch (IOException e) {
            throw new IOException("cannot take NVMe controller " + manifest.pciAddress() + " for " + modelFile
                    + " (bind it first: pagoda nvme bind " + manifest.pciAddress() + "): " + e.getMessage(), e);
        }
        List<AutoCloseable> owned = new ArrayList<>();
        owned.add(device);
        try {
            device.enableBusMastering();
            DmaAllocator dma = device.dmaAllocator();
            owned.addFirst(dma);
            NvmeController controller = NvmeController.start(new RegisterFile(device.bar0()), dma,
                    new ControllerOptions(queuePairs, 256, Duration.ofSeconds(5)));
            owned.addFirst(controller);
            return over(controller, manifest, manifest.pciAddress() + " nsid " + manifest.nsid() + " via "
                    + device.mode() + " IOMMU", owned);
        } catch (IOException | RuntimeException e) {
            closeAll(owned, e);
            throw e;
        }
    }

    /**
     * Reads through an already started {@code controller}, one queue pair per thread; closing
     * closes {@code owned} in order (the controller first, then what it stands on).
     */
    static NvmeFileReader over(NvmeController controller, ModelManifest manifest, String where,
            List<AutoCloseable> owned) throws IOException {
        String serial = controller.identity().serialNumber();
        String model = controller.identity().modelNumber();
        List<ExtentMappedSource> sources = new ArrayList<>();
        for (int q = 0; q < controller.ioQueueCount(); q++) {
            sources.add(ExtentMappedSource.open(manifest, NamespaceReader.withDefaults(controller, manifest.nsid(), q),
                    serial, model));
        }
        return new NvmeFileReader(manifest, manifest.file() + " on NVMe " + where + " (" + sources.size()
                + " queue pairs, userspace driver)", sources, owned);
    }

    /** Refuses a manifest recorded for another file: the size and the header's SHA-256 must match. */
    static void checkBelongsTo(ModelManifest manifest, Path modelFile) throws IOException {
        long size = Files.size(modelFile);
        if (size != manifest.fileSize()) {
            throw new IOException("the manifest of " + manifest.file() + " is for a file of " + manifest.fileSize()
                    + " bytes, but " + modelFile + " has " + size);
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
        try (FileChannel ch = FileChannel.open(modelFile)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            for (long at = 0; at < manifest.headerLength(); ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), manifest.headerLength() - at));
                int n = ch.read(buffer, at);
                if (n < 0) {
                    throw new IOException(modelFile + " ended at " + at + " while hashing its header");
                }
                sha.update(buffer.flip());
                at += n;
            }
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(manifest.headerSha256())) {
            throw new IOException("the first " + manifest.headerLength() + " bytes of " + modelFile + " hash to "
                    + actual + ", but the manifest of " + manifest.file() + " says " + manifest.headerSha256()
                    + ": the manifest was recorded for another file or an older version of it");
        }
    }

    /** For logs: the file, the controller and the queues. */
    public String describe() {
        return description;
    }

    /** The manifest read through. */
    public ModelManifest manifest() {
        return manifest;
    }

    /** Bytes in the file. */
    public long size() {
        return manifest.fileSize();
    }

    /** Bytes delivered since opening, for statistics and tests. */
    public long bytesRead() {
        return bytesRead.sum();
    }

    /**
     * Reads file bytes [fileOffset, fileOffset + length) into dst[0, length) on the calling
     * thread, through whichever queue is free.
     */
    public void read(long fileOffset, MemorySegment dst, long length) throws IOException {
        checkRange(fileOffset, dst, length);
        ExtentMappedSource source;
        try {
            source = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for an NVMe queue of " + description);
        }
        try {
            source.read(fileOffset, dst, length);
        } catch (IOException e) {
            throw new IOException(description + ": read of " + length + " bytes at file offset " + fileOffset
                    + " failed: " + e.getMessage(), e);
        } finally {
            idle.add(source);
        }
        bytesRead.add(length);
    }

    /**
     * Starts reading [fileOffset, fileOffset + length) into dst[0, length), cut into chunks of
     * {@link #CHUNK} spread over the queues; completes when all have arrived, or exceptionally with
     * an {@link UncheckedIOException} for the first that failed.
     */
    public CompletableFuture<Void> readAsync(long fileOffset, MemorySegment dst, long length) {
        try {
            checkRange(fileOffset, dst, length);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException(e));
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (long done = 0; done < length; done += CHUNK) {
            long off = done;
            long n = Math.min(CHUNK, length - done);
            parts.add(CompletableFuture.runAsync(() -> {
                try {
                    read(fileOffset + off, dst.asSlice(off, n), n);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, threads));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    private void checkRange(long fileOffset, MemorySegment dst, long length) throws IOException {
        if (fileOffset < 0 || length < 0 || fileOffset > size() - length || dst.byteSize() < length) {
            throw new IOException(description + ": read of " + length + " bytes at offset " + fileOffset + " into "
                    + dst.byteSize() + " bytes lies outside the file's " + size() + " bytes");
        }
    }

    /**
     * Stops the reading threads (waiting for reads in flight), deletes the I/O queues, shuts the
     * controller down and gives the device and its DMA mappings back.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        threads.shutdown();
        try {
            if (!threads.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IOException(description + ": reads still running a minute after close; the controller is left up");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted closing " + description);
        }
        closeAll(owned, null);
    }

    private static void closeAll(List<AutoCloseable> owned, Throwable primary) throws IOException {
        Throwable first = primary;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (primary == null && first != null) {
            throw first instanceof IOException io ? io : new IOException("closing the NVMe controller", first);
        }
    }
}
