package dev.pagoda.core.cuda;

import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.DeviceBuffer;

/**
 * Keys and values of every past position in device memory, f16, one pair of buffers per layer laid
 * out [ctx][n_head_kv][head_dim] as {@code kv_store.cu} writes and {@code attention.cu} reads them.
 * Allocated whole for the context length when the session starts.
 */
final class DeviceKvCache implements AutoCloseable {
    private final int contextLength;
    private final DeviceBuffer[] keys;
    private final DeviceBuffer[] values;

    DeviceKvCache(Cuda cuda, LlamaConfig c, int contextLength) {
        this.contextLength = contextLength;
        keys = new DeviceBuffer[c.blockCount()];
        values = new DeviceBuffer[c.blockCount()];
        try {
            for (int l = 0; l < c.blockCount(); l++) {
                keys[l] = cuda.allocate(2L * contextLength * c.keyWidth());
                values[l] = cuda.allocate(2L * contextLength * c.valueWidth());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Device bytes of a cache of {@code contextLength} positions. */
    static long bytes(LlamaConfig c, int contextLength) {
        return 2L * contextLength * (c.keyWidth() + c.valueWidth()) * c.blockCount();
    }

    int contextLength() {
        return contextLength;
    }

    DeviceBuffer keys(int layer) {
        return keys[layer];
    }

    DeviceBuffer values(int layer) {
        return values[layer];
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                keys[l].close();
            }
            if (values[l] != null) {
                values[l].close();
            }
        }
    }
}
