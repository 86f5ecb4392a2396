package dev.pagoda.core.tier;

import java.util.Locale;

/**
 * What layer streaming did, summed over passes (a pass is one forward call: one decoded token, or
 * one prompt batch). Times are wall-clock nanoseconds of the layer loop on the compute thread.
 *
 * @param passes           passes over the layers
 * @param tokens           tokens those passes computed
 * @param computeNanos     layer-loop time not spent waiting for weights
 * @param copyWaitNanos    time waiting for a slot's host → device copy to finish
 * @param storageWaitNanos time waiting for a tier C layer's storage read to finish
 * @param tierABytes       weight bytes of resident layers the passes used
 * @param tierBBytes       weight bytes copied from pinned host memory
 * @param tierCBytes       weight bytes read from storage (and then copied)
 */
public record TierStats(long passes, long tokens, long computeNanos, long copyWaitNanos, long storageWaitNanos,
        long tierABytes, long tierBBytes, long tierCBytes) {

    /** Nothing yet. */
    public static final TierStats ZERO = new TierStats(0, 0, 0, 0, 0, 0, 0, 0);

    /** This minus {@code earlier}: what happened in between. */
    public TierStats since(TierStats earlier) {
        return new TierStats(passes - earlier.passes, tokens - earlier.tokens, computeNanos - earlier.computeNanos,
                copyWaitNanos - earlier.copyWaitNanos, storageWaitNanos - earlier.storageWaitNanos,
                tierABytes - earlier.tierABytes, tierBBytes - earlier.tierBBytes, tierCBytes - earlier.tierCBytes);
    }

    /** One more pass. */
    TierStats plus(long tokens, long compute, long copyWait, long storageWait, long a, long b, long c) {
        return new TierStats(passes + 1, this.tokens + tokens, computeNanos + compute, copyWaitNanos + copyWait,
                storageWaitNanos + storageWait, tierABytes + a, tierBBytes + b, tierCBytes + c);
    }

    /** Per pass averages, one line: "4 passes (4 tokens): per pass compute 1.20 ms, wait copy 0.30 ms, wait storage 0 ms; A 2.1 MB, B 1.0 MB, C 0 B". */
    public String perPassSummary() {
        long p = Math.max(1, passes);
        return String.format(Locale.ROOT,
                "%d passes (%d tokens): per pass compute %.2f ms, waiting on copy %.2f ms, waiting on storage %.2f ms; "
                        + "bytes per pass tier A %s, tier B %s, tier C %s",
                passes, tokens, computeNanos / 1e6 / p, copyWaitNanos / 1e6 / p, storageWaitNanos / 1e6 / p,
                ByteSize.human(tierABytes / p), ByteSize.human(tierBBytes / p), ByteSize.human(tierCBytes / p));
    }
}
