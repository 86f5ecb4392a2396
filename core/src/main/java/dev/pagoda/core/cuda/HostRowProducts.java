package dev.pagoda.core.cuda;

import dev.pagoda.core.cpu.RowKernel;
import dev.pagoda.core.cpu.WorkerPool;
import dev.pagoda.core.hybrid.MatrixShare;
import dev.pagoda.core.hybrid.SplitController;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.PinnedHostBuffer;
import dev.pagoda.cuda.kernels.HostRowsUpload;
import dev.pagoda.cuda.kernels.MatVec;
import dev.pagoda.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's side of hybrid decode on the GPU: for one streamed matrix of a one-token pass, the
 * device computes its leading rows from the slot while the host computes the rest with the CPU row
 * kernels ({@link RowKernel}, float activations) straight from the pinned tier B copy, on a
 * {@link WorkerPool} whose caller is the compute thread.
 *
 * <p>Per product, on the compute stream: the input vector goes device → host once per input (the
 * normed x shared by Q/K/V, the attention output, the normed x shared by gate/up, the SwiGLU output)
 * and an event marks its arrival; the device's rows are launched; the compute thread waits for the
 * event (a CUDA event wait, no Java lock), computes the host's rows with the pool, and queues the
 * kernel that reads them from pinned host memory into the tail of y ({@link HostRowsUpload}: a
 * copy would wait behind the copy stream's weight copies on the one host-to-device copy engine). The device keeps computing and the copy stream keeps prefetching the
 * next blocks' shares meanwhile. Buffer reuse is safe without more events: the next download into
 * {@code x} is queued after the host has read it, and the next write of a role's results waits for
 * a later event on the same stream, which passes only after their earlier upload.
 *
 * <p>Used by one thread at a time (the thread that queues the passes).
 */
final class HostRowProducts implements AutoCloseable {
    private final MatVec matVec;
    private final WorkerPool pool;
    private final SplitController controller;
    private final PinnedHostBuffer x;
    private final PinnedHostBuffer[] results;  // per role
    private final StreamEvent xArrived = new StreamEvent();
    private final float[] xf;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final HostRowsUpload upload;       // null: the results go up by cuMemcpyHtoDAsync
    private int lastRole = -1;
    private DeviceBuffer lastInput;
    private boolean countGap;                  // the wait for this block's first input is the serial gap
    private long gapNanos;                     // that wait, spread over the block's products at its end
    private final long[] blockHostBytes;       // per role: host bytes of this block's products
    private final GgmlType[] blockTypes;

    /**
     * @param maxCols    widest input of any shared matrix
     * @param maxRows    most rows of any shared matrix, per role
     */
    HostRowProducts(Cuda cuda, MatVec matVec, int threads, SplitController controller, int maxCols, int[] maxRows) {
        this.matVec = matVec;
        this.controller = controller;
        this.xf = new float[maxCols];
        this.blockHostBytes = new long[maxRows.length];
        this.blockTypes = new GgmlType[maxRows.length];
        try {
            owned.add(xArrived);
            x = own(cuda.allocatePinned((long) Float.BYTES * maxCols));
            results = new PinnedHostBuffer[maxRows.length];
            for (int r = 0; r < maxRows.length; r++) {
                results[r] = own(cuda.allocatePinned((long) Float.BYTES * Math.max(1, maxRows[r])));
            }
            pool = own(new WorkerPool(threads));
            upload = HostRowsUpload.open(cuda).map(this::own).orElse(null);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    SplitController controller() {
        return controller;
    }

    /** Threads computing the host's rows, the compute thread included. */
    int threads() {
        return pool.threads();
    }

    /**
     * A new block: its first product downloads its input again. {@code afterSharedBlock}: only shared
     * blocks and resident layers lie between this block and the previous shared one, so the wait for
     * this block's first input is device work the host cannot overlap (not a copy's backlog: an
     * unshared streamed block between them would make the device wait for its copy).
     */
    void newBlock(boolean afterSharedBlock) {
        finishBlock();
        lastRole = -1;
        lastInput = null;
        countGap = afterSharedBlock;
    }

    /** Gives the controller the block's gap wait, spread over its host products by bytes. */
    void finishBlock() {
        long total = 0;
        for (long b : blockHostBytes) {
            total += b;
        }
        for (int r = 0; r < blockHostBytes.length; r++) {
            if (total > 0 && blockHostBytes[r] > 0) {
                controller.observeHostGap(blockTypes[r], (long) ((double) gapNanos * blockHostBytes[r] / total));
            }
            blockHostBytes[r] = 0;
        }
        gapNanos = 0;
        countGap = false;
    }

    /** Whether {@code role} reads the same input as {@code previous} (K and V after Q, up after gate). */
    static boolean sameInput(int previous, int role) {
        return previous >= 0 && ((role == 1 || role == 2) && previous == role - 1 || role == 5 && previous == 4);
    }

    /**
     * Queues y = W x for one token of {@code role}'s matrix: rows [0, share.deviceRows) on the device
     * from {@code slot} (after {@code awaitCopy} has made the stream wait for the slot's copy), the
     * rest on the host from {@code hostBlock}.
     */
    void product(int role, MatrixShare share, GgmlType type, MemorySegment hostBlock, DeviceTensor slot,
            DeviceBuffer input, DeviceBuffer y, CudaStream s, Runnable awaitCopy) {
        int cols = slot.cols();
        boolean reuse = input == lastInput && sameInput(lastRole, role);
        boolean lastRoleWasNone = lastRole < 0;
        if (!reuse) {
            input.copyToHostAsync(x.segment().asSlice(0, (long) Float.BYTES * cols), 0, s);
            xArrived.record(s);
        }
        lastRole = role;
        lastInput = input;
        if (share.deviceRows() > 0) {
            awaitCopy.run();
            matVec.launch(slot.type(), slot.data(), 0, share.deviceRows(), cols, input, y, s);
        }
        if (!reuse) {
            boolean first = lastRoleWasNone;
            long w0 = System.nanoTime();
            xArrived.synchronize();
            long waited = System.nanoTime() - w0;
            if (first && countGap) {
                gapNanos += waited;
            } else {
                controller.observeInputWait(waited);
            }
            MemorySegment.copy(x.segment(), ValueLayout.JAVA_FLOAT, 0, xf, 0, cols);
        }
        // only the row products count: the wait above includes the device's backlog, and counting it
        // would make a link-bound run look host-bound and push yet more rows onto the link
        long t0 = System.nanoTime();
        RowKernel kernel = RowKernel.of(type);
        MemorySegment out = results[role].segment();
        long first = share.hostRowsOffset();
        long rowBytes = share.rowBytes();
        pool.forEachRange(share.hostRows(), (from, to) -> {
            for (int r = from; r < to; r++) {
                out.setAtIndex(ValueLayout.JAVA_FLOAT, r, kernel.dot(hostBlock, first + r * rowBytes, xf, 0, cols));
            }
        });
        controller.observe(type, share.hostBytes(), System.nanoTime() - t0, 0, 0);
        blockHostBytes[role] += share.hostBytes();
        blockTypes[role] = type;
        MemorySegment tail = out.asSlice(0, share.outputTailBytes());
        if (upload != null) {
            upload.launch(tail, y, share.outputTailOffset(), s);
        } else {
            y.copyFromHostAsync(tail, share.outputTailOffset(), s);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable r : owned.reversed()) {
            try {
                r.close();
            } catch (Exception ignored) {
                // freeing the rest matters more than the first failure
            }
        }
        owned.clear();
    }
}
