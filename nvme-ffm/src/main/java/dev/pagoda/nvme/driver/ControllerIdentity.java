package dev.pagoda.nvme.driver;

import static dev.pagoda.nvme.spec.IdentifyController.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The Identify Controller fields the driver uses.
 *
 * @param vendorId          PCI vendor ID
 * @param serialNumber      SN, trimmed
 * @param modelNumber       MN, trimmed
 * @param firmwareRevision  FR, trimmed
 * @param mdts              Maximum Data Transfer Size exponent (0: no limit)
 * @param controllerId      CNTLID
 * @param namespaceCount    NN
 */
public record ControllerIdentity(int vendorId, String serialNumber, String modelNumber, String firmwareRevision,
                                 int mdts, int controllerId, int namespaceCount) {

    public static ControllerIdentity decode(MemorySegment data) {
        return new ControllerIdentity(
                Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, VID)),
                ascii(data, SN, SN_LENGTH),
                ascii(data, MN, MN_LENGTH),
                ascii(data, FR, FR_LENGTH),
                Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, MDTS)),
                Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, CNTLID)),
                data.get(ValueLayout.JAVA_INT_UNALIGNED, NN));
    }

    /** The largest transfer in bytes, or {@code Long.MAX_VALUE} when MDTS is 0. */
    public long maxTransferBytes(long minPageSize) {
        return mdts == 0 ? Long.MAX_VALUE : minPageSize << mdts;
    }

    static String ascii(MemorySegment data, int offset, int length) {
        byte[] bytes = data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.US_ASCII).trim();
    }
}
