package dev.pagoda.core.cuda;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaKernel;
import dev.pagoda.cuda.CudaModule;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.Dim3;
import dev.pagoda.cuda.KernelArgs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Moves the host's rows of a hybrid product into the device's output with a kernel that reads the
 * pinned host buffer directly ({@code host_rows_upload.cu}), instead of {@code cuMemcpyHtoDAsync}.
 *
 * <p>Why: host-to-device copies of every stream go through the one copy engine that serves that
 * direction, in order, and it keeps serving the stream it is on while that stream has copies ready.
 * The copy stream always has the next blocks' weight shares queued (tens of MB each), so a few KB
 * of results queued on the compute stream waited behind them — milliseconds on the critical path,
 * up to four times per shared block. The SMs' loads from host memory cross PCIe beside the copy.
 *
 * <p>Needs unified addressing (the pinned buffer's host address is its device address) and
 * mapped host memory; {@link #open} is empty without them, and the caller copies instead.
 */
final class HostRowsUpload implements AutoCloseable {
    private static final int CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY = 19;
    private static final int CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING = 41;
    private static final int THREADS = 256;
    private static final int MAX_BLOCKS = 64;  // a few KB to ~100 KB: enough loads in flight to cover PCIe latency

    private final CudaModule module;
    private final CudaKernel kernel;

    private HostRowsUpload(CudaModule module) {
        this.module = module;
        this.kernel = module.kernel("host_rows_upload");
    }

    /** The kernel, or empty when this device cannot read pinned host memory through its host address. */
    static Optional<HostRowsUpload> open(Cuda cuda) {
        if (cuda.attribute(CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING) == 0
                || cuda.attribute(CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY) == 0) {
            return Optional.empty();
        }
        return Optional.of(new HostRowsUpload(cuda.loadPtx("host_rows_upload.ptx", ptx())));
    }

    /** The PTX text of the kernel, from the resources. */
    static String ptx() {
        String path = "host_rows_upload.ptx";
        try (InputStream in = HostRowsUpload.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource dev/pagoda/core/cuda/" + path + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + path, e);
        }
    }

    /**
     * Queues dst[dstOffset..] = floats of {@code src} (a slice of a pinned host buffer) on {@code stream}.
     * The host must not rewrite {@code src} until the stream has passed this launch.
     */
    void launch(MemorySegment src, DeviceBuffer dst, long dstByteOffset, CudaStream stream) {
        long n = src.byteSize() / Float.BYTES;
        if (n == 0) {
            return;
        }
        if (src.byteSize() % Float.BYTES != 0 || dstByteOffset < 0 || dstByteOffset + src.byteSize() > dst.byteSize()) {
            throw new IllegalArgumentException("host rows upload: " + src.byteSize() + " bytes at offset "
                    + dstByteOffset + " do not fit a " + dst.byteSize() + "-byte output as whole floats");
        }
        int blocks = (int) Math.min(MAX_BLOCKS, Math.ceilDiv(n, THREADS));
        kernel.launch(Dim3.of(blocks), Dim3.of(THREADS), 0, stream,
                KernelArgs.of().i64(src.address()).pointer(dst, dstByteOffset).i64(n));
    }

    @Override
    public void close() {
        module.close();
    }
}
