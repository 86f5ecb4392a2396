package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.GpuTestSupport;
import dev.pagoda.cuda.PinnedHostBuffer;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** host_rows_upload: floats read by the kernel from pinned host memory land exactly at the offset, nothing else is written. */
class HostRowsUploadKernelTest {
    private static Cuda cuda;
    private static CudaStream stream;
    private final Random random = new Random();

    @BeforeAll
    static void setUp() {
        cuda = GpuTestSupport.cudaOrSkip();
        stream = cuda.createStream();
    }

    @AfterAll
    static void tearDown() {
        if (stream != null) {
            stream.close();
        }
    }

    @Test
    void copiesExactlyTheHostFloatsAtTheOffsetAndNothingElse() {
        var opened = HostRowsUpload.open(cuda);
        Assumptions.assumeTrue(opened.isPresent(), "this device cannot read pinned host memory through its host address");
        int total = 70_001;
        try (HostRowsUpload op = opened.get(); PinnedHostBuffer host = cuda.allocatePinned(4L * total);
             DeviceBuffer out = DeviceArrays.poisoned(cuda, total)) {
            for (int[] range : new int[][] {{0, 1}, {5, 37}, {1000, 64_000}, {total - 3, 3}}) {
                int from = range[0];
                int n = range[1];
                float[] want = new float[n];
                for (int i = 0; i < n; i++) {
                    want[i] = random.nextFloat() * 2 - 1;
                    host.segment().setAtIndex(ValueLayout.JAVA_FLOAT, i, want[i]);
                }
                op.launch(host.segment().asSlice(0, 4L * n), out, 4L * from, stream);
                stream.synchronize();
                float[] got = DeviceArrays.downloadFloats(out, total);
                for (int i = 0; i < n; i++) {
                    assertThat(got[from + i]).as("element %d of the range at %d", i, from).isEqualTo(want[i]);
                }
                if (from > 0 && from != total - 3) {
                    assertThat(Float.isNaN(got[from - 1])).as("the float before the range stays poisoned").isTrue();
                }
            }
            assertThatThrownBy(() -> op.launch(host.segment().asSlice(0, 8), out, 4L * total - 4, stream))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host_rows_upload");
        }
    }
}
