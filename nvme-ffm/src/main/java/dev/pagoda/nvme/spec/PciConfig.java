package dev.pagoda.nvme.spec;

/** The PCI configuration header fields the driver touches (PCI Local Bus specification). */
public final class PciConfig {
    private PciConfig() {}

    /** Vendor ID (16-bit). */
    public static final int VENDOR_ID = 0x00;
    /** Device ID (16-bit). */
    public static final int DEVICE_ID = 0x02;
    /** Command register (16-bit). */
    public static final int COMMAND = 0x04;
    /** Class Code: programming interface, subclass, base class (bytes 0x09-0x0B). */
    public static final int CLASS_CODE = 0x09;

    /** Command: Memory Space Enable. */
    public static final int COMMAND_MEMORY_SPACE = 1 << 1;
    /** Command: Bus Master Enable (the device may issue DMA). */
    public static final int COMMAND_BUS_MASTER = 1 << 2;
    /** Command: INTx Emulation Disable. */
    public static final int COMMAND_INTX_DISABLE = 1 << 10;

    /** Class code of an NVM Express controller: mass storage (01h), NVM (08h), NVMe (02h). */
    public static final int CLASS_NVME = 0x01_08_02;
}
