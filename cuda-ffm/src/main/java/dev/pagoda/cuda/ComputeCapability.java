package dev.pagoda.cuda;

/** A device's compute capability, e.g. 9.0 for an H100. */
public record ComputeCapability(int major, int minor) {
    public boolean atLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
