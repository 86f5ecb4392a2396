package dev.pagoda.cuda;

/** Free and total device memory in bytes, as {@code cuMemGetInfo} reports them. */
public record MemoryInfo(long freeBytes, long totalBytes) {
}
