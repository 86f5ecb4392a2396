package dev.pagoda.cuda;

import dev.pagoda.cuda.raw.cuda_h;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CudaAvailabilityTest {

    @Test
    void withoutTheDriverOpenSaysTheLibraryIsMissing() {
        assumeTrue(cuda_h.libraryLoadFailure().isPresent(), "skipped: libcuda.so.1 is installed on this machine");
        assertThatThrownBy(Cuda::open).isInstanceOf(CudaUnavailableException.class)
                .hasMessageContaining("CUDA driver library not found").hasMessageContaining("libcuda.so.1");
        assertThat(Cuda.tryOpen()).isEmpty();
    }

    @Test
    void withoutTheDriverARawCallThrowsInsteadOfCrashing() {
        assumeTrue(cuda_h.libraryLoadFailure().isPresent(), "skipped: libcuda.so.1 is installed on this machine");
        assertThatThrownBy(() -> cuda_h.cuInit(0)).isInstanceOf(UnsatisfiedLinkError.class).hasMessageContaining("libcuda.so.1");
        assertThatThrownBy(() -> cuda_h.cuMemFree_v2(0L)).isInstanceOf(UnsatisfiedLinkError.class);
        assertThatThrownBy(() -> cuda_h.cuCtxSetCurrent(MemorySegment.NULL)).isInstanceOf(UnsatisfiedLinkError.class);
    }

    @Test
    void withTheDriverTryOpenAgreesWithOpen() {
        assumeTrue(cuda_h.libraryLoadFailure().isEmpty(), "skipped: libcuda.so.1 is not installed on this machine");
        try (Cuda cuda = Cuda.open()) {
            assertThat(cuda.deviceName()).isNotBlank();
        } catch (CudaUnavailableException e) {
            assertThat(e.getMessage()).containsAnyOf("cuInit", "no CUDA device");
        }
    }

    @Test
    void launchDimensionsMustBePositive() {
        assertThatThrownBy(() -> Dim3.of(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 1, 1)");
    }
}
