package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaKernel;
import dev.pagoda.cuda.CudaModule;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.Dim3;
import dev.pagoda.cuda.KernelArgs;

import java.util.EnumMap;
import java.util.Map;

import static dev.pagoda.cuda.kernels.LaunchChecks.requireBytes;
import static dev.pagoda.cuda.kernels.LaunchChecks.requirePositive;
import static dev.pagoda.cuda.kernels.LaunchChecks.requireWeights;

/**
 * Embedding row lookup ({@code embedding.cu}): out[t] = dequantized row ids[t]. Token ids live on the
 * device (e.g. from {@link ArgMax}); an id outside the vocabulary yields a row of NaN. Float rows of
 * any width (not a multiple of 32) are copied element by element ({@code embedding_any_<type>}).
 */
public final class Embedding implements AutoCloseable {
    public static final int THREADS = 128;

    private final CudaModule module;
    private final Map<WeightType, CudaKernel> kernels = new EnumMap<>(WeightType.class);
    private final Map<WeightType, CudaKernel> anyWidth = new EnumMap<>(WeightType.class);

    public Embedding(Cuda cuda) {
        this.module = PtxModules.load(cuda, "embedding");
        for (WeightType type : WeightType.values()) {
            kernels.put(type, module.kernel("embedding_" + type.kernelSuffix()));
            if (type.anyWidth()) {
                anyWidth.put(type, module.kernel("embedding_any_" + type.kernelSuffix()));
            }
        }
    }

    /** Queues the lookup of {@code tokens} int32 ids into float32 rows of {@code cols}. */
    public void launch(WeightType type, DeviceBuffer table, long tableOffset, int vocab, int cols, DeviceBuffer ids,
                       int tokens, DeviceBuffer out, CudaStream stream) {
        requireWeights(type, table, tableOffset, vocab, cols, "embedding");
        requirePositive(tokens, "tokens", "embedding");
        requireBytes(ids, (long) tokens * Integer.BYTES, "ids", "embedding");
        requireBytes(out, (long) tokens * cols * Float.BYTES, "out", "embedding");
        (type.wholeUnits(cols) ? kernels : anyWidth).get(type).launch(Dim3.of(tokens), Dim3.of(THREADS), 0, stream, KernelArgs.of().pointer(table, tableOffset)
                .i64(type.rowBytes(cols)).pointer(ids).pointer(out).i32(vocab).i32(cols));
    }

    @Override
    public void close() {
        module.close();
    }
}
