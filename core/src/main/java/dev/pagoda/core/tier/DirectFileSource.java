package dev.pagoda.core.tier;

import dev.pagoda.nvme.ffm.Errno;
import dev.pagoda.nvme.ffm.Libc;
import dev.pagoda.nvme.ffm.NativeCallException;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A file read with O_DIRECT: straight from storage into the destination, without passing through
 * or filling the page cache, several chunks in flight on a few threads. A read whose offset, length
 * and destination address are multiples of {@link #alignment()} (the file store's block size) goes
 * straight into the destination; any other read goes through an aligned bounce buffer per thread.
 * A read that ends at the end of the file may be rounded up to a whole block when the destination
 * has room, as the streamer's staging windows have.
 *
 * <p>Where the file system refuses O_DIRECT (tmpfs), the file is read through the page cache and
 * each range is dropped from it afterwards with posix_fadvise(DONTNEED), which is said once in the log.
 * Thread-safe.
 */
public final class DirectFileSource implements WeightSource {
    private static final System.Logger LOG = System.getLogger(DirectFileSource.class.getName());
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private final Path path;
    private final int fd;
    private final boolean direct;
    private final int block;
    private final long size;
    private final Arena arena = Arena.ofShared();
    private final ParallelReads reads;
    private final ThreadLocal<MemorySegment> bounce;

    /**
     * Opens {@code path} for direct reads by {@code threads} threads.
     *
     * @throws IOException when the file cannot be opened (naming it and the errno)
     */
    public DirectFileSource(Path path, int threads) throws IOException {
        this(path, threads, true);
    }

    /** As above; {@code tryDirect = false} takes the fallback path as if O_DIRECT were refused (for tests). */
    DirectFileSource(Path path, int threads, boolean tryDirect) throws IOException {
        this.path = path;
        this.size = Files.size(path);
        this.block = (int) Math.max(512, Files.getFileStore(path).getBlockSize());
        int opened;
        boolean isDirect;
        try {
            if (!tryDirect) {
                throw new NativeCallException("open", Errno.EINVAL.value, path + " (O_DIRECT not tried)");
            }
            opened = PosixIo.openReadOnly(path.toString(), true);
            isDirect = true;
        } catch (NativeCallException e) {
            if (e.errno() != Errno.EINVAL.value) {
                throw e;
            }
            opened = PosixIo.openReadOnly(path.toString(), false);
            isDirect = false;
            if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.INFO, "{0}: the file system does not support O_DIRECT; reading through"
                        + " the page cache and dropping each range with posix_fadvise(DONTNEED)", path);
            }
        }
        this.fd = opened;
        this.direct = isDirect;
        this.reads = new ParallelReads(threads, "direct");
        this.bounce = ThreadLocal.withInitial(() -> arena.allocate(ParallelReads.CHUNK + 2L * block, block));
    }

    /** Whether reads bypass the page cache (false on file systems without O_DIRECT). */
    public boolean isDirect() {
        return direct;
    }

    @Override
    public String describe() {
        return path + (direct ? " (O_DIRECT, " + block + "-byte blocks)" : " (buffered + fadvise DONTNEED)");
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int alignment() {
        return direct ? block : 1;
    }

    @Override
    public void read(long fileOffset, MemorySegment dst, long length) throws IOException {
        if (fileOffset < 0 || length < 0 || fileOffset > size - length || dst.byteSize() < length) {
            throw new IOException(path + ": read of " + length + " bytes at offset " + fileOffset + " into "
                    + dst.byteSize() + " bytes lies outside the file's " + size + " bytes");
        }
        if (!direct) {
            readFully(fileOffset, dst.asSlice(0, length), length);
            PosixIo.fadvise(fd, fileOffset, length, PosixIo.POSIX_FADV_DONTNEED, path + " at offset " + fileOffset);
            return;
        }
        long rounded = fileOffset + length == size ? LayerLayout.alignUp(length, block) : length;
        if (fileOffset % block == 0 && dst.address() % block == 0 && rounded % block == 0 && dst.byteSize() >= rounded) {
            readFully(fileOffset, dst.asSlice(0, rounded), length);
            return;
        }
        MemorySegment buffer = bounce.get();
        long chunk = buffer.byteSize() - 2L * block;
        for (long done = 0; done < length; done += chunk) {
            long from = fileOffset + done;
            long n = Math.min(chunk, length - done);
            long start = from / block * block;
            long end = LayerLayout.alignUp(from + n, block);
            readFully(start, buffer.asSlice(0, end - start), from + n - start);
            MemorySegment.copy(buffer, from - start, dst, done, n);
        }
    }

    /** Reads into {@code window} from {@code offset}; at least {@code needed} bytes must arrive before the file ends. */
    private void readFully(long offset, MemorySegment window, long needed) throws IOException {
        long got = PosixIo.preadUntilEof(fd, window, offset, path.toString());
        if (got < needed) {
            throw new EOFException(path + " ended at offset " + (offset + got) + " but " + needed
                    + " bytes from offset " + offset + " were asked for");
        }
    }

    @Override
    public CompletableFuture<Void> submit(List<ReadRequest> requests) {
        return reads.submit(requests, this::read);
    }

    @Override
    public void close() throws IOException {
        reads.close();
        Libc.close(fd);
        arena.close();
    }
}
