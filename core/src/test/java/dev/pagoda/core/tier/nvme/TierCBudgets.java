package dev.pagoda.core.tier.nvme;

import dev.pagoda.core.KvCacheType;
import dev.pagoda.core.Model;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaLoader;
import dev.pagoda.core.tier.ContextMemory;
import dev.pagoda.core.tier.LayerFootprint;
import dev.pagoda.core.tier.LayerLayout;
import dev.pagoda.core.tier.TierPlanner;
import dev.pagoda.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Budgets that send all layers but at most one to tier C, computed from the model's tensor table
 * as the planner computes them: the device holds the non-layer tensors, KV cache, workspace and
 * the two-slot ring; the host holds two staging buffers and the smallest layer.
 */
final class TierCBudgets {
    private TierCBudgets() {}

    static Model.Builder apply(Model.Builder b, Path model, int context, int batch) throws IOException {
        try (GgufFile file = GgufFile.open(model)) {
            LlamaConfig c = LlamaLoader.config(file);
            LayerFootprint f = LayerFootprint.of(file.tensors());
            ContextMemory ctx = ContextMemory.estimate(c, context, batch, KvCacheType.F32);
            long largest = f.layers().stream().mapToLong(LayerFootprint.Layer::deviceBytes).max().orElseThrow();
            long smallest = f.layers().stream().mapToLong(LayerFootprint.Layer::bytes).min().orElseThrow();
            long staging = f.layers().stream()
                    .mapToLong(l -> LayerLayout.stagingBytes(l.tensors(), TierPlanner.DEFAULT_STORAGE_BLOCK))
                    .max().orElseThrow();
            long device = f.nonLayerDeviceBytes() + ctx.totalBytes() + 2 * largest;
            return b.contextLength(context).batchSize(batch)
                    .vramBudget(Long.toString(device)).ramBudget(Long.toString(2 * staging + smallest));
        }
    }
}
