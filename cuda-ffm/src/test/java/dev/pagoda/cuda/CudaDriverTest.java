package dev.pagoda.cuda;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checked layer on a real device: memory, copies, pinned and registered memory, streams, events, graphs, JIT errors. */
class CudaDriverTest {
    private static Cuda cuda;

    @BeforeAll
    static void device() {
        cuda = GpuTestSupport.cudaOrSkip();
    }

    private static MemorySegment randomBytes(Arena arena, int n, long seed) {
        MemorySegment s = arena.allocate(n);
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, n);
        return s;
    }

    @Test
    void deviceReportsItself() {
        assertThat(cuda.computeCapability().atLeast(8, 0)).as("kernels are built for compute_80").isTrue();
        assertThat(cuda.multiprocessorCount()).isPositive();
        MemoryInfo info = cuda.memoryInfo();
        assertThat(info.freeBytes()).isPositive().isLessThanOrEqualTo(info.totalBytes());
    }

    @Test
    void hostToDeviceToDeviceToHostRoundTrips() {
        int n = 1 << 20;
        try (Arena arena = Arena.ofConfined(); DeviceBuffer a = cuda.allocate(n); DeviceBuffer b = cuda.allocate(n)) {
            MemorySegment src = randomBytes(arena, n, 1);
            MemorySegment back = arena.allocate(n);
            a.copyFromHost(src);
            b.fill32(0x7fc00000);
            b.copyFromDevice(a, 0, 0, n);
            b.copyToHost(back);
            assertThat(back.mismatch(src)).isEqualTo(-1);
        }
    }

    @Test
    void asyncCopiesThroughPinnedAndRegisteredMemoryOnAStream() {
        int n = 3 << 20;
        try (Arena arena = Arena.ofConfined(); DeviceBuffer d = cuda.allocate(n); PinnedHostBuffer pinned = cuda.allocatePinned(n);
             CudaStream stream = cuda.createStream()) {
            MemorySegment src = randomBytes(arena, n, 2);
            pinned.segment().copyFrom(src);
            MemorySegment registeredTarget = arena.allocate(n, 4096);
            try (HostRegistration reg = cuda.register(registeredTarget)) {
                d.fill32Async(0xffffffff, stream);
                d.copyFromHostAsync(pinned.segment(), 0, stream);
                d.copyToHostAsync(reg.segment(), 0, stream);
                stream.synchronize();
                assertThat(registeredTarget.mismatch(src)).isEqualTo(-1);
            }
        }
    }

    @Test
    void everyEntryMakesTheContextCurrentOnItsOwnThread() throws Exception {
        try (Arena arena = Arena.ofShared(); DeviceBuffer d = cuda.allocate(4096)) {
            MemorySegment src = randomBytes(arena, 4096, 3);
            MemorySegment back = arena.allocate(4096);
            // A fresh thread has no current context: the copies must set it themselves.
            CompletableFuture.runAsync(() -> d.copyFromHost(src), runnable -> new Thread(runnable).start()).get();
            CompletableFuture.runAsync(() -> d.copyToHost(back), runnable -> new Thread(runnable).start()).get();
            assertThat(back.mismatch(src)).isEqualTo(-1);
        }
    }

    @Test
    void outOfRangeCopiesAreRejectedBeforeTheDriver() {
        try (Arena arena = Arena.ofConfined(); DeviceBuffer d = cuda.allocate(1024)) {
            assertThatThrownBy(() -> d.copyFromHost(arena.allocate(1025))).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("1024 bytes");
            assertThatThrownBy(() -> d.copyFromHost(MemorySegment.ofArray(new byte[8]))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void driverErrorsCarryNameDescriptionAndCall() {
        assertThatThrownBy(() -> cuda.allocate(1L << 50)).isInstanceOf(CudaException.class)
                .hasMessageContaining("cuMemAlloc_v2").hasMessageContaining("CUDA_ERROR_OUT_OF_MEMORY")
                .satisfies(e -> assertThat(((CudaException) e).resultName()).isEqualTo("CUDA_ERROR_OUT_OF_MEMORY"));
    }

    @Test
    void brokenPtxFailsWithTheJitLog() {
        String ptx = ".version 7.0\n.target sm_80\n.address_size 64\n.visible .entry broken() { this is not ptx; }\n";
        assertThatThrownBy(() -> cuda.loadPtx("broken.ptx", ptx)).isInstanceOf(CudaException.class)
                .hasMessageContaining("cuModuleLoadDataEx(broken.ptx)").hasMessageContaining("JIT error log");
    }

    @Test
    void eventsTimeAndGraphsReplayCapturedWork() {
        int n = 1 << 20;
        try (Arena arena = Arena.ofConfined(); DeviceBuffer a = cuda.allocate(n); DeviceBuffer b = cuda.allocate(n);
             CudaStream stream = cuda.createStream(); CudaEvent start = cuda.createEvent(); CudaEvent end = cuda.createEvent()) {
            MemorySegment src = randomBytes(arena, n, 4);
            a.copyFromHost(src);
            b.fill32(0);
            stream.beginCapture();
            b.copyFromDeviceAsync(a, 0, 0, n, stream);
            CudaGraph graph = stream.endCapture();
            try (graph) {
                MemorySegment before = arena.allocate(n);
                b.copyToHost(before);
                assertThat(before.mismatch(src)).as("capture records without running").isNotEqualTo(-1);
                start.record(stream);
                graph.launch(stream);
                end.record(stream);
                end.synchronize();
                assertThat(end.elapsedMillisSince(start)).isGreaterThanOrEqualTo(0f);
                MemorySegment back = arena.allocate(n);
                b.copyToHost(back);
                assertThat(back.mismatch(src)).isEqualTo(-1);
            }
        }
    }
}
