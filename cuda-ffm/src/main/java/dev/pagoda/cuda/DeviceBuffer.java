package dev.pagoda.cuda;

import dev.pagoda.cuda.raw.cuda_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

import static dev.pagoda.cuda.Check.check;

/**
 * A block of device memory ({@code cuMemAlloc_v2}), freed by {@link #close()}. Copies check their
 * bounds in Java before the driver sees them; host sides must be native segments (heap arrays cannot
 * be handed to the driver).
 */
public final class DeviceBuffer implements AutoCloseable {
    private final Cuda cuda;
    private final long address;
    private final long byteSize;
    private boolean closed;

    private DeviceBuffer(Cuda cuda, long address, long byteSize) {
        this.cuda = cuda;
        this.address = address;
        this.byteSize = byteSize;
    }

    static DeviceBuffer allocate(Cuda cuda, long byteSize) {
        if (byteSize <= 0) {
            throw new IllegalArgumentException("device allocation size must be positive, got " + byteSize);
        }
        cuda.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            check(cuda_h.cuMemAlloc_v2(out, byteSize), "cuMemAlloc_v2(" + byteSize + " bytes)");
            return new DeviceBuffer(cuda, out.get(ValueLayout.JAVA_LONG, 0), byteSize);
        }
    }

    public long byteSize() {
        return byteSize;
    }

    public Cuda cuda() {
        return cuda;
    }

    /** The raw device address ({@code CUdeviceptr}); valid until {@link #close()}. */
    public long unsafeAddress() {
        live();
        return address;
    }

    /** Copies all of {@code src} to the start of this buffer and waits. */
    public void copyFromHost(MemorySegment src) {
        copyFromHost(src, 0);
    }

    /** Copies all of {@code src} to this buffer at {@code dstOffset} and waits. */
    public void copyFromHost(MemorySegment src, long dstOffset) {
        checkHost(src, "source");
        checkRange(dstOffset, src.byteSize());
        cuda.makeCurrent();
        check(cuda_h.cuMemcpyHtoD_v2(address + dstOffset, src, src.byteSize()),
                "cuMemcpyHtoD_v2(" + src.byteSize() + " bytes at offset " + dstOffset + ")");
    }

    /**
     * Queues a copy of all of {@code src} to this buffer at {@code dstOffset} on {@code stream}. The
     * host memory must stay alive and unchanged until the stream passes this point; it overlaps other
     * work only when pinned.
     */
    public void copyFromHostAsync(MemorySegment src, long dstOffset, CudaStream stream) {
        checkHost(src, "source");
        checkRange(dstOffset, src.byteSize());
        cuda.makeCurrent();
        check(cuda_h.cuMemcpyHtoDAsync_v2(address + dstOffset, src, src.byteSize(), stream.unsafeHandle()),
                "cuMemcpyHtoDAsync_v2(" + src.byteSize() + " bytes at offset " + dstOffset + ")");
    }

    /** Copies the first {@code dst.byteSize()} bytes of this buffer into {@code dst} and waits. */
    public void copyToHost(MemorySegment dst) {
        copyToHost(dst, 0);
    }

    /** Copies {@code dst.byteSize()} bytes from {@code srcOffset} of this buffer into {@code dst} and waits. */
    public void copyToHost(MemorySegment dst, long srcOffset) {
        checkHost(dst, "destination");
        checkRange(srcOffset, dst.byteSize());
        cuda.makeCurrent();
        check(cuda_h.cuMemcpyDtoH_v2(dst, address + srcOffset, dst.byteSize()),
                "cuMemcpyDtoH_v2(" + dst.byteSize() + " bytes from offset " + srcOffset + ")");
    }

    /** Queues a copy of {@code dst.byteSize()} bytes from {@code srcOffset} into {@code dst} on {@code stream}. */
    public void copyToHostAsync(MemorySegment dst, long srcOffset, CudaStream stream) {
        checkHost(dst, "destination");
        checkRange(srcOffset, dst.byteSize());
        cuda.makeCurrent();
        check(cuda_h.cuMemcpyDtoHAsync_v2(dst, address + srcOffset, dst.byteSize(), stream.unsafeHandle()),
                "cuMemcpyDtoHAsync_v2(" + dst.byteSize() + " bytes from offset " + srcOffset + ")");
    }

    /** Copies {@code bytes} from {@code src} at {@code srcOffset} to this buffer at {@code dstOffset} and waits. */
    public void copyFromDevice(DeviceBuffer src, long srcOffset, long dstOffset, long bytes) {
        src.checkRange(srcOffset, bytes);
        checkRange(dstOffset, bytes);
        cuda.makeCurrent();
        check(cuda_h.cuMemcpyDtoD_v2(address + dstOffset, src.unsafeAddress() + srcOffset, bytes),
                "cuMemcpyDtoD_v2(" + bytes + " bytes)");
        cuda.synchronize();
    }

    /** Queues a device-to-device copy on {@code stream}. */
    public void copyFromDeviceAsync(DeviceBuffer src, long srcOffset, long dstOffset, long bytes, CudaStream stream) {
        src.checkRange(srcOffset, bytes);
        checkRange(dstOffset, bytes);
        cuda.makeCurrent();
        check(cuda_h.cuMemcpyDtoDAsync_v2(address + dstOffset, src.unsafeAddress() + srcOffset, bytes,
                stream.unsafeHandle()), "cuMemcpyDtoDAsync_v2(" + bytes + " bytes)");
    }

    /** Sets every 32-bit word of the buffer to {@code pattern} and waits (the size must be a multiple of 4). */
    public void fill32(int pattern) {
        if (byteSize % 4 != 0) {
            throw new IllegalArgumentException("fill32 needs a size that is a multiple of 4, got " + byteSize);
        }
        live();
        cuda.makeCurrent();
        check(cuda_h.cuMemsetD32_v2(address, pattern, byteSize / 4), "cuMemsetD32_v2(" + byteSize / 4 + " words)");
        cuda.synchronize();
    }

    /** Queues setting every 32-bit word of the buffer to {@code pattern} on {@code stream}. */
    public void fill32Async(int pattern, CudaStream stream) {
        if (byteSize % 4 != 0) {
            throw new IllegalArgumentException("fill32 needs a size that is a multiple of 4, got " + byteSize);
        }
        live();
        cuda.makeCurrent();
        check(cuda_h.cuMemsetD32Async(address, pattern, byteSize / 4, stream.unsafeHandle()),
                "cuMemsetD32Async(" + byteSize / 4 + " words)");
    }

    void checkRange(long offset, long bytes) {
        live();
        if (offset < 0 || bytes < 0 || offset > byteSize - bytes) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + " + " + bytes
                    + ") is outside the device buffer of " + byteSize + " bytes");
        }
    }

    private static void checkHost(MemorySegment segment, String what) {
        Objects.requireNonNull(segment, what);
        if (!segment.isNative()) {
            throw new IllegalArgumentException("the host " + what + " must be a native segment (Arena/mmap), not a heap array");
        }
    }

    private void live() {
        if (closed) {
            throw new IllegalStateException("device buffer of " + byteSize + " bytes is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cuda.makeCurrent();
            check(cuda_h.cuMemFree_v2(address), "cuMemFree_v2(" + byteSize + " bytes)");
        }
    }
}
