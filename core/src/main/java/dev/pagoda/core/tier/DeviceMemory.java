package dev.pagoda.core.tier;

/** A block of device memory allocated by a {@link Device}; freed when the device closes. */
public interface DeviceMemory {
    /** Its size in bytes. */
    long byteSize();

    /** What it holds, for messages: "slot 1", "blk.3". */
    String purpose();
}
