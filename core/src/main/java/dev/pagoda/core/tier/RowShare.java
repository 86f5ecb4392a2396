package dev.pagoda.core.tier;

import dev.pagoda.gguf.TensorInfo;

/**
 * How many leading rows of each streamed matrix a decode pass computes on the device, the rest
 * being computed on the host from its own copy (hybrid decode). The streamer copies only those
 * rows into the slot and hands out views with that many rows; a pass over several tokens
 * (prefill) first copies the rest, so it sees whole matrices.
 *
 * <p>Called from the thread that queues a copy (the compute thread, or a storage read's
 * completion thread), so implementations must be thread-safe.
 */
@FunctionalInterface
public interface RowShare {

    /** Rows of {@code tensor} (a matrix of blk.{@code layer}) to copy, 0..rows. */
    long deviceRows(int layer, TensorInfo tensor);
}
