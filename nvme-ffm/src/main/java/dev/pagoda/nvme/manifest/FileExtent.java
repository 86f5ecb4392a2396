package dev.pagoda.nvme.manifest;

/**
 * A run of a file's bytes stored contiguously on the namespace.
 *
 * @param fileOffset      first byte's offset in the file
 * @param namespaceOffset first byte's offset on the namespace (partition start included)
 * @param length          bytes in the run
 */
public record FileExtent(long fileOffset, long namespaceOffset, long length) {
    public FileExtent {
        if (fileOffset < 0 || namespaceOffset < 0 || length <= 0) {
            throw new IllegalArgumentException("bad extent: file " + fileOffset + ", namespace " + namespaceOffset
                    + ", length " + length);
        }
    }
}
