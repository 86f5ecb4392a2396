package dev.pagoda.core.tier;

import java.util.List;

/**
 * When each layer's storage read, copy and compute ran during one pass, in nanoseconds from the
 * start of the pass (reads and copies of the first streamed layers may start during the previous
 * pass, so before 0). A stage that did not happen for a layer is {@link Span#NONE}.
 *
 * @param layers one entry per layer, in layer order
 */
public record LayerTimeline(List<LayerSpans> layers) {

    public LayerTimeline {
        layers = List.copyOf(layers);
    }

    /** A time span; {@link #NONE} when the stage did not run. */
    public record Span(long startNanos, long endNanos) {
        public static final Span NONE = new Span(Long.MIN_VALUE, Long.MIN_VALUE);

        public boolean present() {
            return startNanos != Long.MIN_VALUE;
        }
    }

    /**
     * One layer's stages.
     *
     * @param layer   N of blk.N
     * @param tier    where it lives
     * @param read    storage read into staging (tier C)
     * @param copy    host → device copy into a slot (tier B and C); starts when the copy is queued
     * @param compute from acquire to release on the compute thread
     */
    public record LayerSpans(int layer, Tier tier, Span read, Span copy, Span compute) {}
}
