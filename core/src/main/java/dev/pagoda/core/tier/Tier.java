package dev.pagoda.core.tier;

/** Where a layer's weights live between tokens. */
public enum Tier {
    /** Resident in device memory: computed in place. */
    A,
    /** Pinned host memory: copied into a device slot for every pass. */
    B,
    /** Storage: read into pinned staging, then copied into a device slot, for every pass. */
    C
}
