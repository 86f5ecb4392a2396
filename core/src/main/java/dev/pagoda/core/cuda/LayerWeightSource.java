package dev.pagoda.core.cuda;

import dev.pagoda.cuda.CudaStream;

/**
 * Where the device graph gets a block's weights: {@link #acquire} hands back layer l's device
 * pointers before its first matrix product, {@link #release} says the graph has queued its last use.
 * The resident source returns weights uploaded once; a streaming source (tiering) can instead fill a
 * slot of a VRAM ring in acquire and recycle it once the stream passes the release point. Both take
 * the stream the pass is queued on, so that a streaming source can make it wait for a slot's copy
 * and mark when the slot is free again, without the host waiting.
 */
public interface LayerWeightSource {

    /** Layer {@code layer}'s weights on the device, valid until {@link #release}. */
    CudaLayerWeights acquire(int layer, CudaStream stream);

    /** The graph has queued every use of layer {@code layer}'s weights. */
    void release(int layer, CudaStream stream);

    /**
     * The pass about to acquire layer 0 computes {@code tokens} tokens (a prompt batch, or 1 for a
     * decode step); a streaming source counts them in its statistics.
     */
    default void passTokens(int tokens) {}

    /**
     * Whether acquire returns the same device pointers every time, so that launches recorded once
     * (a captured CUDA graph) stay valid.
     */
    boolean fixedAddresses();
}
