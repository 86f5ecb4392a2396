package dev.pagoda.core.cuda;

import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;

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
     * Whether acquire returns the same device pointers every time, so that launches recorded once
     * (a captured CUDA graph) stay valid.
     */
    boolean fixedAddresses();

    /**
     * The pass about to be queued computes {@code tokens} tokens; called before its first
     * {@link #acquire}. A streaming source counts the tokens in its statistics; one that shares rows
     * with the host (hybrid decode) hands out whole matrices to passes of several tokens.
     */
    default void beginPass(int tokens) {
    }

    /**
     * Queues y = W x for one token when this source shares W's rows with the host (the device
     * computes the rows it holds, the host the rest, each writing its part of y) and returns true;
     * returns false when the graph must launch the whole product itself. Only for a matrix of the
     * block acquired last.
     */
    default boolean shareProduct(DeviceTensor w, DeviceBuffer x, DeviceBuffer y, CudaStream stream) {
        return false;
    }

    /**
     * Whether the pass begun last shares layer {@code layer}'s matrix products with the host: its
     * slot then holds only the device's rows, so the graph must route every product of that layer
     * through {@link #shareProduct} (no fused launch that reads whole matrices).
     */
    default boolean sharesRows(int layer) {
        return false;
    }
}
