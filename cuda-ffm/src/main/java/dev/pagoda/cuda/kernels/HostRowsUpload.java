package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaKernel;
import dev.pagoda.cuda.CudaModule;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.Dim3;
import dev.pagoda.cuda.KernelArgs;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * Moves floats from pinned host memory into a device buffer with a kernel that reads the host
 * buffer directly ({@code host_rows_upload.cu}) instead of {@code cuMemcpyHtoDAsync}: hybrid decode
 * uses it for the host's rows of a product.
 *
 * <p>Why a kernel: host-to-device copies of every stream go through the one copy engine that serves
 * that direction, in order, and it keeps serving the stream it is on while that stream has copies
 * ready. A streaming run always has the next blocks' weights queued (tens of MB each), so a few KB
 * queued on the compute stream waited behind them. The SMs' loads from host memory cross PCIe beside
 * the copy. Only for small vectors: weights are never read this way (zero-copy reads of large data
 * run far below a copy's bandwidth).
 *
 * <p>Needs unified addressing (a pinned buffer's host address is its device address) and mapped
 * host memory; {@link #open} is empty without them, and the caller copies instead.
 */
public final class HostRowsUpload implements AutoCloseable {
    private static final int CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY = 19;
    private static final int CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING = 41;
    private static final int THREADS = 256;
    private static final int MAX_BLOCKS = 64;  // a few KB to ~100 KB: enough loads in flight to cover PCIe latency

    private final CudaModule module;
    private final CudaKernel kernel;

    private HostRowsUpload(Cuda cuda) {
        this.module = PtxModules.load(cuda, "host_rows_upload");
        this.kernel = module.kernel("host_rows_upload");
    }

    /** The kernel, or empty when this device cannot read pinned host memory through its host address. */
    public static Optional<HostRowsUpload> open(Cuda cuda) {
        if (cuda.attribute(CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING) == 0
                || cuda.attribute(CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY) == 0) {
            return Optional.empty();
        }
        return Optional.of(new HostRowsUpload(cuda));
    }

    /**
     * Queues dst[dstByteOffset..] = the floats of {@code src} (a slice of a pinned host buffer) on
     * {@code stream}. The host must not rewrite {@code src} until the stream has passed this launch.
     */
    public void launch(MemorySegment src, DeviceBuffer dst, long dstByteOffset, CudaStream stream) {
        long n = src.byteSize() / Float.BYTES;
        if (n == 0) {
            return;
        }
        if (src.byteSize() % Float.BYTES != 0 || dstByteOffset < 0 || dstByteOffset + src.byteSize() > dst.byteSize()) {
            throw new IllegalArgumentException("host_rows_upload: " + src.byteSize() + " bytes at offset "
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
