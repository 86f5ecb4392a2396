package dev.pagoda.core.tier;

import dev.pagoda.gguf.TensorInfo;
import java.util.List;

/**
 * Where a layer's tensors lie in a device slot and in a storage staging buffer. Both the planner
 * (to size slots and staging) and the streamer (to place bytes) use these functions, so a plan's
 * sizes are exactly what the streamer allocates.
 *
 * <p>Device: tensors packed in file order, each starting on a {@value #DEVICE_ALIGNMENT}-byte
 * boundary (what CUDA's allocator guarantees and vectorised kernels want). Staging: each tensor's
 * read is widened to whole storage blocks (O_DIRECT needs block-aligned offsets and lengths), so a
 * tensor of {@code n} bytes at any file offset takes at most {@code alignUp(n, block) + block}
 * bytes; tensor i's window starts at the sum of the windows before it.
 */
public final class LayerLayout {
    /** Alignment of every tensor in device memory. */
    public static final int DEVICE_ALIGNMENT = 256;

    private LayerLayout() {}

    /** {@code value} rounded up to a multiple of {@code alignment} (a power of two or any positive number). */
    public static long alignUp(long value, long alignment) {
        return Math.ceilDiv(value, alignment) * alignment;
    }

    /** Offset of each tensor in a device slot, and the total at index {@code tensors.size()}. */
    public static long[] deviceOffsets(List<TensorInfo> tensors) {
        long[] offsets = new long[tensors.size() + 1];
        for (int i = 0; i < tensors.size(); i++) {
            offsets[i + 1] = offsets[i] + alignUp(tensors.get(i).byteSize(), DEVICE_ALIGNMENT);
        }
        return offsets;
    }

    /** Device bytes of {@code tensors} packed as {@link #deviceOffsets} places them. */
    public static long deviceBytes(List<TensorInfo> tensors) {
        return deviceOffsets(tensors)[tensors.size()];
    }

    /** Start of each tensor's block-aligned read window in a staging buffer, and the total at the end. */
    public static long[] stagingOffsets(List<TensorInfo> tensors, int block) {
        long[] offsets = new long[tensors.size() + 1];
        for (int i = 0; i < tensors.size(); i++) {
            offsets[i + 1] = offsets[i] + alignUp(tensors.get(i).byteSize(), block) + block;
        }
        return offsets;
    }

    /** Staging bytes a layer of {@code tensors} needs when read with storage blocks of {@code block} bytes. */
    public static long stagingBytes(List<TensorInfo> tensors, int block) {
        return stagingOffsets(tensors, block)[tensors.size()];
    }
}
