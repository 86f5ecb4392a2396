package dev.pagoda.cli;

import dev.pagoda.core.Backend;
import dev.pagoda.core.Model;
import dev.pagoda.core.cuda.CudaTiering;
import dev.pagoda.cuda.Cuda;
import java.util.OptionalDouble;

/** Rates the streaming bounds divide by, measured in the run that reports them. */
final class StreamingRates {
    private StreamingRates() {}

    /**
     * The pinned host → device copy rate of the model's GPU, measured now (the plan's rate may come
     * from the cache of an earlier run); empty on the CPU backend, where a "copy" is a memcpy and no
     * link bounds the run.
     */
    static OptionalDouble hostToDevice(Model model) {
        if (model.backend() != Backend.CUDA) {
            return OptionalDouble.empty();
        }
        try (Cuda cuda = Cuda.open()) {
            return OptionalDouble.of(CudaTiering.pinnedHostToDevice(cuda));
        }
    }
}
