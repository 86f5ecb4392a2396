package dev.pagoda.gguf.quant;

import java.lang.foreign.MemorySegment;

/** Converts whole blocks of one ggml type to float32. Stateless and thread-safe. */
@FunctionalInterface
public interface Dequantizer {
    /**
     * Dequantizes {@code blocks} blocks starting at byte {@code srcOffset} of {@code src} into
     * {@code dst[dstOffset ..]}. Ranges are not checked beyond the JDK's own bounds checks.
     */
    void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int blocks);
}
