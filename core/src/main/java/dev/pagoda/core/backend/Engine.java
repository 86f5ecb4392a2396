package dev.pagoda.core.backend;

/**
 * A model's weights placed on one device, ready to start sessions: the CPU engine reads them in
 * place from the mapped file, the CUDA engine holds a copy in device memory. Thread-safe; each
 * session gets its own {@link ForwardPass}.
 */
public interface Engine extends AutoCloseable {

    /** A short description for logs: "cpu (4 threads, …)", "cuda (NVIDIA H100 …, resident)". */
    String name();

    /** A fresh forward pass with an empty cache of {@code contextLength} positions, batches of up to {@code maxBatch}. */
    ForwardPass newForwardPass(int contextLength, int maxBatch);

    /** Frees what the engine holds; its forward passes can no longer be used. */
    @Override
    void close();
}
