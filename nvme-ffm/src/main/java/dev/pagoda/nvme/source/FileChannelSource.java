package dev.pagoda.nvme.source;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A file read through the kernel (positional reads); safe for concurrent use. */
public final class FileChannelSource implements BlockSource {
    private final Path path;
    private final FileChannel channel;
    private final long size;

    public FileChannelSource(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.size = channel.size();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(long offset, MemorySegment dst, long length) throws IOException {
        BlockSource.checkRange(size, offset, dst, length);
        long done = 0;
        while (done < length) {
            int chunk = (int) Math.min(length - done, 1 << 30);
            ByteBuffer target = dst.asSlice(done, chunk).asByteBuffer();
            while (target.hasRemaining()) {
                int n = channel.read(target, offset + done + target.position());
                if (n < 0) {
                    throw new EOFException(path + " ended at " + (offset + done + target.position()));
                }
            }
            done += chunk;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
