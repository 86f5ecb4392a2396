package dev.pagoda.nvme.manifest;

import dev.pagoda.nvme.source.BlockSource;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A file read from its namespace through the extents in its manifest. Opening checks the
 * controller's identity and the GGUF header's checksum, so a changed, moved or rewritten file is
 * refused before any weight is read from stale blocks. Thread-safety is the namespace source's.
 */
public final class ExtentMappedSource implements BlockSource {
    private final ModelManifest manifest;
    private final BlockSource namespace;
    private final List<FileExtent> extents;

    private ExtentMappedSource(ModelManifest manifest, BlockSource namespace) {
        this.manifest = manifest;
        this.namespace = namespace;
        this.extents = manifest.extents();
    }

    /**
     * @param serial the serial number Identify Controller reported for the device being read
     * @param model  its model number
     */
    public static ExtentMappedSource open(ModelManifest manifest, BlockSource namespace, String serial, String model)
            throws IOException {
        if (!manifest.serial().equals(serial) || !manifest.model().equals(model)) {
            throw new IOException("manifest for " + manifest.file() + " names device '" + manifest.model() + "' serial '"
                    + manifest.serial() + "', but the controller is '" + model + "' serial '" + serial + "'");
        }
        ExtentMappedSource source = new ExtentMappedSource(manifest, namespace);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(manifest.headerLength());
            source.read(0, header, manifest.headerLength());
            String actual = ManifestBuilder.sha256(header.toArray(ValueLayout.JAVA_BYTE));
            if (!actual.equals(manifest.headerSha256())) {
                throw new IOException("the first " + manifest.headerLength() + " bytes of " + manifest.file()
                        + " read through its extents hash to " + actual + ", the manifest says "
                        + manifest.headerSha256() + ": the file moved or changed since the manifest was made");
            }
        }
        return source;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    @Override
    public long size() {
        return manifest.fileSize();
    }

    @Override
    public void read(long offset, MemorySegment dst, long length) throws IOException {
        BlockSource.checkRange(size(), offset, dst, length);
        long done = 0;
        int i = firstExtent(offset);
        while (done < length) {
            FileExtent e = extents.get(i);
            long at = offset + done;
            long within = at - e.fileOffset();
            long n = Math.min(e.length() - within, length - done);
            namespace.read(e.namespaceOffset() + within, dst.asSlice(done, n), n);
            done += n;
            i++;
        }
    }

    private int firstExtent(long offset) {
        int lo = 0;
        int hi = extents.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (extents.get(mid).fileOffset() <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public void close() throws IOException {
        namespace.close();
    }
}
