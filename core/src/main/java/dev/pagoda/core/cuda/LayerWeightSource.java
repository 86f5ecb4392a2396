package dev.pagoda.core.cuda;

/**
 * Where the device graph gets a block's weights: {@link #acquire} hands back layer l's device
 * pointers before its first matrix product, {@link #release} says the graph has queued its last use.
 * The resident source returns weights uploaded once; a streaming source (tiering) can instead fill a
 * slot of a VRAM ring in acquire and recycle it once the stream passes the release point.
 */
public interface LayerWeightSource {

    /** Layer {@code layer}'s weights on the device, valid until {@link #release}. */
    CudaLayerWeights acquire(int layer);

    /** The graph has queued every use of layer {@code layer}'s weights. */
    void release(int layer);

    /**
     * Whether acquire returns the same device pointers every time, so that launches recorded once
     * (a captured CUDA graph) stay valid.
     */
    boolean fixedAddresses();
}
