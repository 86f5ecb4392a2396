package dev.pagoda.core.hybrid;

import dev.pagoda.core.backend.ComputeBackend;
import dev.pagoda.core.backend.WeightTensor;
import dev.pagoda.core.llama.LayerAccess;
import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.core.llama.LlamaGraph;
import dev.pagoda.core.llama.LlamaLayerWeights;
import dev.pagoda.core.llama.LlamaWeights;
import dev.pagoda.core.tier.LayerStreamer;
import dev.pagoda.core.tier.Tier;
import dev.pagoda.core.tier.TierPlan;
import dev.pagoda.gguf.GgmlType;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hybrid decode on a {@link LayerStreamer}: every streamed matrix's rows are shared between the
 * device (its share copied into the slot) and the host (the rest computed from host memory), with
 * the share adjusted between tokens by a {@link SplitController}. A graph built with
 * {@link #backend()} and this access runs it; passes over several tokens (prefill) run wholly on
 * the device, and resident layers are untouched.
 */
public final class HybridDecode implements LayerAccess {
    private final LayerStreamer streamer;
    private final SplitController controller;
    private final HybridBackend backend;

    private HybridDecode(LayerStreamer streamer, SplitController controller, HybridBackend backend) {
        this.streamer = streamer;
        this.controller = controller;
        this.backend = backend;
    }

    /**
     * Shares the streamed layers of {@code streamer}.
     *
     * @param host        the model's weights as the host reads them (the mapped file)
     * @param device      the device's backend
     * @param hostThreads threads computing the host's rows
     */
    public static HybridDecode start(LayerStreamer streamer, LlamaWeights host, ComputeBackend device, int hostThreads,
            SplitController controller) {
        if (hostThreads < 1) {
            throw new IllegalArgumentException("host thread count must be at least 1, got " + hostThreads);
        }
        Map<String, WeightTensor> matrices = new HashMap<>();
        TierPlan plan = streamer.plan();
        for (int l = 0; l < plan.layerCount(); l++) {
            if (plan.tier(l) != Tier.A) {
                matrices(host.layers().get(l)).forEach(w -> matrices.put(w.name(), w));
            }
        }
        streamer.shareRows(controller);
        return new HybridDecode(streamer, controller, new HybridBackend(device, matrices, hostThreads, controller));
    }

    /**
     * A graph over {@code streamer} with the hybrid share planned from the host's calibrated matvec
     * rates ({@link HostMatvecCalibration#cached()}) and the plan's link rate, adapting as it runs.
     */
    public static LlamaGraph graph(LlamaConfig config, LayerStreamer streamer, LlamaWeights host, ComputeBackend device,
            int hostThreads) {
        Set<GgmlType> types = streamedTypes(streamer.plan(), host);
        HybridSplit split = new HybridSplit(streamer.plan().bandwidths().hostToDevice(),
                HostMatvecCalibration.cached().rates(types, hostThreads), HybridSplit.DEFAULT_ROW_QUANTUM);
        HybridDecode hybrid = start(streamer, host, device, hostThreads, SplitController.adaptive(split, types));
        return new LlamaGraph(config, streamer.weights(), hybrid.backend(), hybrid);
    }

    /** The weight types of the streamed layers' matrices (what a calibration must cover). */
    public static Set<GgmlType> streamedTypes(TierPlan plan, LlamaWeights weights) {
        Set<GgmlType> types = EnumSet.noneOf(GgmlType.class);
        for (int l = 0; l < plan.layerCount(); l++) {
            if (plan.tier(l) != Tier.A) {
                matrices(weights.layers().get(l)).forEach(w -> types.add(w.type()));
            }
        }
        return types;
    }

    static List<WeightTensor> matrices(LlamaLayerWeights w) {
        return List.of(w.attnQ(), w.attnK(), w.attnV(), w.attnOutput(), w.ffnGate(), w.ffnUp(), w.ffnDown());
    }

    /** The backend a graph must compute with for the share to take effect. */
    public ComputeBackend backend() {
        return backend;
    }

    /** The share it adjusts. */
    public SplitController controller() {
        return controller;
    }

    @Override
    public Pass begin(int tokens) {
        Pass pass = streamer.begin(tokens);
        // the pass lock is held from here: the last pass's observations are complete
        controller.update();
        return pass;
    }
}
