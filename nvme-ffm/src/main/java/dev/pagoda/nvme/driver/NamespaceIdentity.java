package dev.pagoda.nvme.driver;

import static dev.pagoda.nvme.spec.IdentifyNamespace.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The Identify Namespace fields the driver uses.
 *
 * @param nsid          namespace identifier
 * @param blocks        NSZE: size in logical blocks
 * @param blockSize     bytes per logical block, 2 ^ LBADS of the format FLBAS selects
 * @param metadataSize  MS of that format (must be 0 for plain reads into pages)
 */
public record NamespaceIdentity(int nsid, long blocks, int blockSize, int metadataSize) {

    public static NamespaceIdentity decode(int nsid, MemorySegment data) throws ControllerStartupException {
        long nsze = data.get(ValueLayout.JAVA_LONG_UNALIGNED, NSZE);
        int format = data.get(ValueLayout.JAVA_BYTE, FLBAS) & FLBAS_INDEX_MASK;
        int formats = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, NLBAF)) + 1;
        if (nsze == 0) {
            throw new ControllerStartupException("namespace " + nsid + " is not active (NSZE 0)");
        }
        if (format >= formats) {
            throw new ControllerStartupException("namespace " + nsid + " selects LBA format " + format + " of " + formats);
        }
        int lbaf = data.get(ValueLayout.JAVA_INT_UNALIGNED, LBAF0 + (long) format * LBAF_SIZE);
        int lbads = (lbaf >>> LBAF_LBADS_SHIFT) & LBAF_LBADS_MASK;
        int ms = (lbaf >>> LBAF_MS_SHIFT) & LBAF_MS_MASK;
        if (lbads < 9 || lbads > 16) {
            throw new ControllerStartupException("namespace " + nsid + " has LBA data size 2^" + lbads + ", outside 512 B - 64 KiB");
        }
        return new NamespaceIdentity(nsid, nsze, 1 << lbads, ms);
    }

    /** Size in bytes. */
    public long byteSize() {
        return blocks * blockSize;
    }
}
