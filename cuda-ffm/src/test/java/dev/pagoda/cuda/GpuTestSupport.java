package dev.pagoda.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One shared device for the GPU tests of this module; skips (with the reason CUDA is unavailable)
 * on machines without a driver or a device, such as CI.
 */
public final class GpuTestSupport {
    private static final Object LOCK = new Object();
    private static Cuda cuda;
    private static String unavailable;

    private GpuTestSupport() {
    }

    public static Cuda cudaOrSkip() {
        synchronized (LOCK) {
            if (cuda == null && unavailable == null) {
                try {
                    cuda = Cuda.open();
                    Runtime.getRuntime().addShutdownHook(new Thread(cuda::close));
                } catch (CudaUnavailableException e) {
                    unavailable = e.getMessage();
                    // Surefire's summary only counts classes skipped in @BeforeAll: say why, once, on the console.
                    System.out.println("[pagoda] GPU tests skipped: this machine has no usable CUDA GPU (" + unavailable + ")");
                }
            }
            assumeTrue(cuda != null, () -> "skipped: this test needs a CUDA GPU and " + unavailable);
            return cuda;
        }
    }
}
