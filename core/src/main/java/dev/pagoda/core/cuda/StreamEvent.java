package dev.pagoda.core.cuda;

import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.raw.cuda_h;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A CUDA event that one stream records and another waits on ({@code cuStreamWaitEvent}), which is
 * how layer streaming orders the copy stream against the compute stream without the host waiting.
 * cuda-ffm's {@code CudaEvent} can record and synchronise but not be waited on by a stream, and its
 * generated bindings lack {@code cuStreamWaitEvent}, so that one symbol is bound here, once.
 *
 * <p>Calls must come from a thread on which the model's context is current: the thread that queues
 * the pass (every cuda-ffm call makes it current). Not thread-safe.
 */
final class StreamEvent implements AutoCloseable {
    private static final MethodHandle STREAM_WAIT_EVENT = bindStreamWaitEvent();

    private final MemorySegment handle;
    private boolean recorded;
    private boolean closed;

    StreamEvent() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            check(cuda_h.cuEventCreate(out, cuda_h.CU_EVENT_DEFAULT()), "cuEventCreate");
            handle = out.get(ValueLayout.ADDRESS, 0);
        }
    }

    @SuppressWarnings("restricted")
    private static MethodHandle bindStreamWaitEvent() {
        try {
            SymbolLookup cuda = SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
            return cuda.find("cuStreamWaitEvent")
                    .map(address -> Linker.nativeLinker().downcallHandle(address, FunctionDescriptor.of(
                            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT)))
                    .orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Marks the current end of {@code stream}. */
    void record(CudaStream stream) {
        check(cuda_h.cuEventRecord(live(), stream.unsafeHandle()), "cuEventRecord");
        recorded = true;
    }

    /** Whether {@link #record} was ever called (an event never recorded is already reached). */
    boolean recorded() {
        return recorded;
    }

    /** Makes work queued later on {@code stream} wait until the last recorded point is reached. */
    void waitOn(CudaStream stream) {
        if (!recorded) {
            return;
        }
        if (STREAM_WAIT_EVENT == null) {
            throw new IllegalStateException("cuStreamWaitEvent not found in libcuda.so.1");
        }
        int rc;
        try {
            rc = (int) STREAM_WAIT_EVENT.invokeExact(stream.unsafeHandle(), live(), 0);
        } catch (Throwable t) {
            throw new IllegalStateException("calling cuStreamWaitEvent failed", t);
        }
        check(rc, "cuStreamWaitEvent");
    }

    /** Blocks the host until the last recorded point is reached. */
    void synchronize() {
        if (recorded) {
            check(cuda_h.cuEventSynchronize(live()), "cuEventSynchronize");
        }
    }

    /** Milliseconds of device time from {@code start} to this event, both recorded and reached. */
    float millisSince(StreamEvent start) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT);
            check(cuda_h.cuEventElapsedTime_v2(out, start.live(), live()), "cuEventElapsedTime_v2");
            return out.get(ValueLayout.JAVA_FLOAT, 0);
        }
    }

    private MemorySegment live() {
        if (closed) {
            throw new IllegalStateException("event is closed");
        }
        return handle;
    }

    private static void check(int rc, String call) {
        if (rc != 0) {
            throw new IllegalStateException(call + " failed: CUresult " + rc + " (" + errorName(rc) + ")");
        }
    }

    private static String errorName(int rc) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            if (cuda_h.cuGetErrorName(rc, out) != 0) {
                return "unknown";
            }
            return out.get(ValueLayout.ADDRESS, 0).reinterpret(256).getString(0);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            check(cuda_h.cuEventDestroy_v2(handle), "cuEventDestroy_v2");
        }
    }
}
