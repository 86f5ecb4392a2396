package dev.pagoda.core.tier;

import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.UnsupportedModelException;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaLoader;
import dev.pagoda.gguf.GgufFile;

/**
 * Everything besides the model that a plan depends on, and the plan of a GGUF file from its
 * header alone (metadata and tensor table; no tensor data is read).
 *
 * @param device        device memory free and the user's budget
 * @param host          host memory available and the user's budget
 * @param contextLength positions the KV cache holds
 * @param batch         most tokens per forward call (sizes the workspace)
 * @param kvType        KV cache element type
 * @param planner       bandwidths, ring slots, storage block
 */
public record ModelPlanRequest(DeviceBudget device, HostBudget host, int contextLength, int batch, KvCacheType kvType,
        TierPlanner planner) {

    /** The plan for {@code file}. */
    public TierPlan plan(GgufFile file) throws UnsupportedModelException {
        LlamaConfig config = LlamaLoader.config(file);
        return plan(config, LayerFootprint.of(file.tensors()));
    }

    /** The plan for a model of {@code config} and {@code footprint}. */
    public TierPlan plan(LlamaConfig config, LayerFootprint footprint) {
        if (footprint.layerCount() != config.blockCount()) {
            throw new IllegalArgumentException("the tensor table has " + footprint.layerCount()
                    + " blocks but llama.block_count is " + config.blockCount());
        }
        ContextMemory context = ContextMemory.estimate(config, contextLength, Math.min(batch, contextLength), kvType);
        return planner.plan(footprint, context, device, host);
    }
}
