package dev.pagoda.core.tier;

import dev.pagoda.cuda.Cuda;
import java.util.Optional;

/** Free memory of CUDA device 0 (cuMemGetInfo), for planning without a budget on a GPU host. */
public final class CudaMemoryProbe {
    private CudaMemoryProbe() {}

    /** Free device memory in bytes, or empty when there is no usable CUDA device (the reason is logged at INFO). */
    public static Optional<Long> freeBytes() {
        Optional<Cuda> cuda = Cuda.tryOpen();
        if (cuda.isEmpty()) {
            return Optional.empty();
        }
        try (Cuda c = cuda.get()) {
            return Optional.of(c.memoryInfo().freeBytes());
        }
    }
}
