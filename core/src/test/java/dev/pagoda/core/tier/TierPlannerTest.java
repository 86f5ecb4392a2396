package dev.pagoda.core.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pagoda.gguf.TensorInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class TierPlannerTest {
    private static final long GB = 1L << 30;
    private static final TierPlanner PLANNER = TierPlanner.withDefaults(Bandwidths.assumed());
    private static final LayerFootprint L70 = LayerFootprint.of(SyntheticTables.llama70b());
    private static final LayerFootprint L8 = LayerFootprint.of(SyntheticTables.llama8b());
    private static final ContextMemory CTX = new ContextMemory(GB, 256L << 20);
    private static final HostBudget PLENTY = HostBudget.available(512 * GB);

    @Test
    void footprintSplitsBlocksFromTheRest() {
        assertThat(L70.layerCount()).isEqualTo(80);
        assertThat(L70.layers().getFirst().tensors()).hasSize(9);
        assertThat(L70.nonLayerTensors()).extracting(TensorInfo::name)
                .containsExactly("token_embd.weight", "output_norm.weight", "output.weight");
        long all = SyntheticTables.llama70b().stream().mapToLong(TensorInfo::byteSize).sum();
        assertThat(L70.layerBytes() + L70.nonLayerBytes()).isEqualTo(all);
        // 70B Q4_K: about 40 GB of weights, 0.48 GB per layer
        assertThat(L70.layerBytes()).isBetween(38_000_000_000L, 40_000_000_000L);
        long outputAndNorm = 8192L * 128256 / 256 * 210 + 8192 * 4;
        assertThat(L70.nonLayerBytesPerToken()).isEqualTo(outputAndNorm);
    }

    @Test
    void footprintRejectsAGapInBlockNumbers() {
        List<TensorInfo> table = SyntheticTables.llama(3, 256, 512, 4, 2, 64, 1000,
                dev.pagoda.gguf.GgmlType.Q8_0, dev.pagoda.gguf.GgmlType.Q8_0).stream()
                .filter(t -> !t.name().startsWith("blk.1.")).toList();
        assertThatThrownBy(() -> LayerFootprint.of(table)).hasMessageContaining("blk.2 but no blk.1");
    }

    @Test
    void everythingResidentWhenItFits() {
        TierPlan plan = PLANNER.plan(L8, CTX, DeviceBudget.free(80 * GB), PLENTY);
        assertThat(plan.layerCount(Tier.A)).isEqualTo(32);
        assertThat(plan.streams()).isFalse();
        assertThat(plan.slotCount()).isZero();
        assertThat(plan.hostBytesUsed()).isZero();
        assertThat(plan.hostToDeviceSeconds()).isZero();
        assertThat(plan.summary("8B Q4_K")).contains("tier A 32 layers").contains("tier B 0").contains("tier C 0");
    }

    @Test
    void a24GigabyteCardKeepsWhatFitsAndStreamsTheRestSpreadOut() {
        TierPlan plan = PLANNER.plan(L70, CTX, DeviceBudget.free(80 * GB).limitedTo(24 * GB), PLENTY);
        long layer = L70.layers().getFirst().deviceBytes();
        long room = 24 * GB - L70.nonLayerDeviceBytes() - CTX.totalBytes() - 2 * layer;
        int expectedResident = (int) (room / layer);
        assertThat(plan.layerCount(Tier.A)).isEqualTo(expectedResident);
        assertThat(plan.layerCount(Tier.B)).isEqualTo(80 - expectedResident);
        assertThat(plan.layerCount(Tier.C)).isZero();
        assertThat(plan.slotCount()).isEqualTo(2);
        assertThat(plan.slotBytes()).isEqualTo(layer);
        assertThat(plan.deviceBytesUsed()).isLessThanOrEqualTo(24 * GB);
        assertThat(plan.deviceBytesUsed() + layer).isGreaterThan(24 * GB);
        assertThat(plan.layerBytes(Tier.A) + plan.layerBytes(Tier.B)).isEqualTo(L70.layerBytes());
        assertThat(plan.hostBytesUsed()).isEqualTo(plan.layerBytes(Tier.B));
        // streamed layers interleave: no run of resident layers is longer than ceil(A / B) + 1
        int longestResidentRun = 0;
        int run = 0;
        for (int l = 0; l < 80; l++) {
            run = plan.tier(l) == Tier.A ? run + 1 : 0;
            longestResidentRun = Math.max(longestResidentRun, run);
        }
        int a = plan.layerCount(Tier.A);
        int b = plan.layerCount(Tier.B);
        assertThat(longestResidentRun).isLessThanOrEqualTo(Math.ceilDiv(a, b) + 1);
        assertThat(plan.tier(0)).isEqualTo(Tier.A);
        assertThat(plan.summary("70B Q4_K_M")).matches(
                "70B Q4_K_M \\| tier A " + a + " layers [0-9.]+ GB \\| tier B " + b
                        + " layers [0-9.]+ GB \\| tier C 0 \\| predicted [0-9.]+ tok/s \\(PCIe 54 GB/s\\)");
    }

    @Test
    void predictionFollowsTheThreeStageModel() {
        Bandwidths bw = new Bandwidths(50e9, 5e9, 2000e9);
        TierPlanner planner = TierPlanner.withDefaults(bw);
        TierPlan plan = planner.plan(L70, CTX, DeviceBudget.free(24 * GB), HostBudget.available(10 * GB));
        long b = plan.layerBytes(Tier.B);
        long c = plan.layerBytes(Tier.C);
        assertThat(c).isPositive();
        double compute = (L70.layerBytes() + L70.nonLayerBytesPerToken()) / 2000e9;
        double h2d = (b + c) / 50e9;
        double storage = c / 5e9;
        assertThat(plan.computeSeconds()).isCloseTo(compute, within(1e-12));
        assertThat(plan.hostToDeviceSeconds()).isCloseTo(h2d, within(1e-12));
        assertThat(plan.storageSeconds()).isCloseTo(storage, within(1e-12));
        assertThat(plan.tokensPerSecond()).isCloseTo(1 / Math.max(compute, Math.max(h2d, storage)), within(1e-9));
        assertThat(plan.summary("70B")).contains("tier C " + plan.layerCount(Tier.C) + " layers")
                .contains("storage 5.0 GB/s");
    }

    @Test
    void hostBudgetSendsTheRestToStorageWithStaging() {
        TierPlan plan = PLANNER.plan(L70, CTX, DeviceBudget.free(24 * GB), HostBudget.available(64 * GB).limitedTo(8 * GB));
        assertThat(plan.layerCount(Tier.C)).isPositive();
        assertThat(plan.stagingCount()).isEqualTo(2);
        long staging = LayerLayout.stagingBytes(L70.layers().getFirst().tensors(), 4096);
        assertThat(plan.stagingBytes()).isEqualTo(staging);
        assertThat(plan.hostBytesUsed()).isEqualTo(plan.layerBytes(Tier.B) + 2 * staging).isLessThanOrEqualTo(8 * GB);
        // one more tier B layer would not have fit
        assertThat(plan.hostBytesUsed() + L70.layers().getFirst().bytes()).isGreaterThan(8 * GB);
        assertThat(plan.layerCount(Tier.A) + plan.layerCount(Tier.B) + plan.layerCount(Tier.C)).isEqualTo(80);
    }

    @Test
    void tooSmallADeviceBudgetNamesTheMinimum() {
        long minimum = L70.nonLayerDeviceBytes() + CTX.totalBytes() + 2 * L70.layers().getFirst().deviceBytes();
        assertThatThrownBy(() -> PLANNER.plan(L70, CTX, DeviceBudget.free(minimum - 1), PLENTY))
                .isInstanceOf(InsufficientBudgetException.class)
                .hasMessageContaining("device memory budget")
                .hasMessageContaining("at least")
                .hasMessageContaining("(" + minimum + " bytes)")
                .satisfies(e -> assertThat(((InsufficientBudgetException) e).minimumBytes()).isEqualTo(minimum));
        TierPlan plan = PLANNER.plan(L70, CTX, DeviceBudget.free(minimum), PLENTY);
        assertThat(plan.layerCount(Tier.A)).isZero();
        assertThat(plan.layerCount(Tier.B)).isEqualTo(80);
        TierPlan one = PLANNER.plan(L70, CTX, DeviceBudget.free(minimum + L70.layers().getFirst().deviceBytes()), PLENTY);
        assertThat(one.layerCount(Tier.A)).isEqualTo(1);
    }

    @Test
    void tooSmallAHostBudgetForStagingNamesTheMinimum() {
        long staging = 2 * LayerLayout.stagingBytes(L8.layers().getFirst().tensors(), 4096);
        assertThatThrownBy(() -> PLANNER.plan(L8, CTX, DeviceBudget.free(4 * GB), HostBudget.available(staging - 1)))
                .isInstanceOf(InsufficientBudgetException.class)
                .hasMessageContaining("host memory budget")
                .hasMessageContaining("(" + staging + " bytes)");
        TierPlan plan = PLANNER.plan(L8, CTX, DeviceBudget.free(4 * GB), HostBudget.available(staging));
        assertThat(plan.layerCount(Tier.B)).isZero();
        assertThat(plan.layerCount(Tier.C)).isEqualTo(32 - plan.layerCount(Tier.A));
    }

    @Test
    void spreadChoosesEvenlySpacedPositions() {
        assertThat(TierPlanner.spread(2, 8)).containsExactly(false, false, true, false, false, false, true, false);
        assertThat(TierPlanner.spread(0, 3)).containsExactly(false, false, false);
        assertThat(TierPlanner.spread(3, 3)).containsExactly(true, true, true);
    }

    @Test
    void tableHasOneRowPerLayer() {
        TierPlan plan = PLANNER.plan(L8, CTX, DeviceBudget.free(3 * GB), PLENTY);
        String table = plan.table();
        assertThat(table.lines().filter(l -> l.matches("\\d+ +[ABC] .*"))).hasSize(32);
        assertThat(table).contains("per token:");
    }
}
