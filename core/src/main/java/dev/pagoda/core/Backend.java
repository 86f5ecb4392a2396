package dev.pagoda.core;

/** Where a {@link Model} computes: chosen with {@link Model.Builder#backend(Backend)}. */
public enum Backend {
    /** The Vector API engine on the host, weights read in place from the mapped file. */
    CPU,
    /**
     * The GPU: every weight copied once to device memory, activations and an f16 KV cache on the
     * device. Opening fails when no CUDA device can be used or the model does not fit in it.
     */
    CUDA,
    /** CUDA when a device is present and the model fits on it, otherwise CPU (with one log line saying why). */
    AUTO
}
